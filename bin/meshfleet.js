#!/usr/bin/env node
// The `meshfleet` command of the installed package (the compiled CLI; nothing is compiled here).
'use strict';
process.exitCode = require('../lib/src/cli/main.js').run(process.argv.slice(2));
