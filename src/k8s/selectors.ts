/** Label selector requirements (core/v1), shared by the Cilium policies and the Multigres placement. */

/** Operators of a label selector requirement. */
export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** A label selector requirement (core/v1 `LabelSelectorRequirement`). */
export interface LabelSelectorRequirement {
  /** The label key the selector applies to. */
  readonly key: string;
  /** How the key relates to the values. */
  readonly operator: LabelSelectorOperator;
  /**
   * Values; non-empty for `In`/`NotIn`, absent for `Exists`/`DoesNotExist`.
   * @default - no values (only valid for `Exists` and `DoesNotExist`)
   */
  readonly values?: string[];
}

