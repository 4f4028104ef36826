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
  /** The faults reported, in the order of the fleet description: every one, up to `MAX_REPORTED_FAULTS`. */
  public readonly faults: readonly Fault[];
  /** Faults found beyond those reported (counted, not kept). */
  public readonly omitted: number;

  /** @param omitted faults found beyond `faults` @default 0 */
  constructor(faults: readonly Fault[], omitted = 0) {
    super(FleetValidationError.format(faults, omitted));
    this.name = 'FleetValidationError';
    this.faults = faults;
    this.omitted = omitted;
  }

  /** Formats faults one per line, prefixed with their location when known, and says how many more were found. */
  public static format(faults: readonly Fault[], omitted = 0): string {
    const lines = faults.map((f) => `  ${f.location ? `${f.location}: ` : ''}${f.message}`);
    const total = faults.length + omitted;
    if (omitted > 0) lines.push(`  ... and ${omitted} more (${faults.length} are shown; fix them and run again)`);
    return `invalid fleet (${total} ${total === 1 ? 'fault' : 'faults'}):\n${lines.join('\n')}`;
  }
}

/**
 * Most faults a validation reports (and keeps in memory): a file of 400,000 broken clusters is told its
 * first thousand faults and how many more there are, at the cost of the first thousand.
 */
export const MAX_REPORTED_FAULTS = 1000;

/**
 * Collects faults while a fleet is checked; throws them all at once.
 * @internal
 */
export class FaultCollector {
  public readonly faults: Fault[] = [];
  /** Faults of list entries beyond `MAX_REPORTED_FAULTS`: counted only (no message kept, no location looked up). */
  public omitted = 0;
  private readonly paths = new Set<string>();

  /** @param locate maps a fault path to `file:line:column`, when the fleet came from a file */
  constructor(private readonly locate?: (path: string) => string | undefined) {}

  /** Records a fault; a field keeps its first fault only (a later rule's complaint about it adds nothing). */
  public add(path: string, message: string): void {
    if (this.paths.has(path)) return;
    this.paths.add(path);
    // The first MAX_REPORTED_FAULTS faults are kept; past them, those of the fleet and of its meshes (few by
    // nature: a mesh exceeding maxConnectedClusters) still are, up to MAX_REPORTED_FAULTS more.
    const few = message.startsWith('mesh "') || (message.startsWith('fleet:') && !/\[\d+\]/.test(path));
    if (this.faults.length >= (few ? 2 * MAX_REPORTED_FAULTS : MAX_REPORTED_FAULTS)) {
      this.omitted++;
      return;
    }
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
      throw new FleetValidationError(this.faults, this.omitted);
    }
  }
}
