// Jest globalSetup/globalTeardown: cdk8s's Testing.app() makes a `cdk8s.outdir.*` folder in the system
// temp folder for every test chart and never removes it. Remove those this test run created, once
// every worker has finished.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

function outdirs() {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('cdk8s.outdir.')).map((n) => path.join(os.tmpdir(), n));
}

module.exports = {
  setup: async () => {
    process.env.MESHFLEET_JEST_STARTED = String(Date.now() - 1000);
  },
  teardown: async () => {
    const started = Number(process.env.MESHFLEET_JEST_STARTED || Date.now());
    for (const dir of outdirs()) {
      try {
        const st = fs.lstatSync(dir);
        if (st.isDirectory() && st.ctimeMs >= started) fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
    }
  },
};
