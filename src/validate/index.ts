/**
 * Validation of synthesized objects against the real upstream schemas (CRDs, converted
 * CRD JSON schemas and the Cilium chart's `values.schema.json`) kept in the shared folder.
 *
 * @packageDocumentation
 */
export * from './upstream-schemas';
