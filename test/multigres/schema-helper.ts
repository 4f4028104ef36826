// Test helper: validate synthesized objects against the upstream schemas in ../shared (absent on a
// fresh clone, so callers skip when `haveShared` is false).
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';

export const SHARED = process.env.MESHFLEET_SHARED ?? path.resolve(__dirname, '..', '..', '..', 'shared');
export const haveShared = fs.existsSync(SHARED);

/** Go (RE2) patterns use one-letter Unicode classes like `\PC`; JavaScript needs `\P{C}` with the `u` flag. */
export function convertGoPatterns(schema: any): any {
  if (Array.isArray(schema)) return schema.map(convertGoPatterns);
  if (schema && typeof schema === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(schema)) {
      out[k] = k === 'pattern' && typeof v === 'string'
        ? v.replace(/\\([pP])([A-Za-z])/g, '\\$1{$2}')
        : convertGoPatterns(v);
    }
    return out;
  }
  return schema;
}

function compile(schema: any) {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: true });
  const validate = ajv.compile(convertGoPatterns(schema));
  return (obj: unknown): string[] => (validate(obj) ? [] : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`));
}

/** A validator for the first version of a CRD under ../shared/crds. */
export function crdValidator(relativePath: string): (obj: unknown) => string[] {
  const crd = parse(fs.readFileSync(path.join(SHARED, 'crds', relativePath), 'utf8'));
  return compile(crd.spec.versions[0].schema.openAPIV3Schema);
}

/** A validator for a JSON schema file under ../shared/schemas. */
export function jsonSchemaValidator(relativePath: string): (obj: unknown) => string[] {
  return compile(JSON.parse(fs.readFileSync(path.join(SHARED, 'schemas', relativePath), 'utf8')));
}
