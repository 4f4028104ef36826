/**
 * One problem found in a fleet description.
 */
export interface Fault {
  /**
   * Where the fault is, as a path into the fleet description (`clusters[2].id`).
   */
  readonly path: string;
  /**
   * What is wrong, naming the cluster or field at fault
   * (`cluster "orchid-dev-usw1": id 256 is outside 1..255`).
   */
  readonly message: string;
  /**
   * `file:line:column` of the offending value when the fleet was read from a file.
   *
   * @default - no location (the fleet was built in TypeScript)
   */
  readonly location?: string;
}

/**
 * Thrown when a fleet description is invalid. Carries every fault found, not only the first,
 * so a user can fix them all in one go. Its message lists them one per line.
 */
export class FleetValidationError extends Error {
  /** Every fault found, in the order of the fleet description. */
  public readonly faults: readonly Fault[];

  constructor(faults: readonly Fault[]) {
    super(FleetValidationError.format(faults));
    this.name = 'FleetValidationError';
    this.faults = faults;
  }

  /** Formats faults one per line, prefixed with their location when known. */
  public static format(faults: readonly Fault[]): string {
    const lines = faults.map((f) => `  ${f.location ? `${f.location}: ` : ''}${f.message}`);
    return `invalid fleet (${faults.length} ${faults.length === 1 ? 'fault' : 'faults'}):\n${lines.join('\n')}`;
  }
}

/**
 * Collects faults while a fleet is checked; throws them all at once.
 * @internal
 */
export class FaultCollector {
  public readonly faults: Fault[] = [];
  private readonly paths = new Set<string>();

  /** @param locate maps a fault path to `file:line:column`, when the fleet came from a file */
  constructor(private readonly locate?: (path: string) => string | undefined) {}

  /** Records a fault; a field keeps its first fault only (a later rule's complaint about it adds nothing). */
  public add(path: string, message: string): void {
    if (this.paths.has(path)) return;
    this.paths.add(path);
    // One fault, one line: user values are echoed in messages, so escape line breaks and control characters.
    message = message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
    const location = this.locate?.(path);
    this.faults.push(location ? { path, message, location } : { path, message });
  }

  /**
   * Marks a path as already at fault without a message of its own: a misspelt key's did-you-mean
   * fault covers the key it meant, so "missing" is not reported for that key too.
   */
  public cover(path: string): void {
    this.paths.add(path);
  }

  /** True when a fault was recorded at this path. */
  public has(path: string): boolean {
    return this.paths.has(path);
  }

  public throwIfAny(): void {
    if (this.faults.length > 0) {
      throw new FleetValidationError(this.faults);
    }
  }
}
