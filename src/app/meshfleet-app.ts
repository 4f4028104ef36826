/** `MeshfleetApp`: the cdk8s App of a consumer's own TypeScript, whose `synth()` writes the fleet's whole GitOps tree through meshfleet's writer. */
import * as fs from 'fs';
import * as path from 'path';
import { AppProps } from 'cdk8s';
import { Fleet } from '../fleet/fleet';
import { DeliveryTarget } from '../fleet/props';
import { WriteResult } from '../gitops/writer';
import { TreeApp } from '../gitops/tree-app';
import { synthTarget, writeFleetTrees } from './trees';

/** Props of a `MeshfleetApp`. */
export interface MeshfleetAppProps extends AppProps {
  /** The fleet, built in code (`new Fleet({...})`) or read (`loadFleet('fleet.yaml')`). */
  readonly fleet: Fleet;
  /**
   * The folder the GitOps tree is written into: at a GitOps repository's root, `.`.
   * @default "dist"
   */
  readonly out?: string;
  /**
   * The delivery targets to write.
   * @default - the fleet's `targets` (Plural when it names none)
   */
  readonly targets?: readonly DeliveryTarget[];
}

/**
 * A cdk8s App that writes a fleet's complete GitOps tree (every target's files, through meshfleet's
 * confined, all-or-nothing writer) when synthesized, so `cdk8s synth` in a consumer's own app gives
 * what `meshfleet synth` gives. Run cdk8s with another output folder than the tree's (cdk8s empties
 * its own before every run): `output: .cdk8s.out` in cdk8s.yaml.
 *
 * @example
 * const app = new MeshfleetApp({ fleet: loadFleet('fleet.yaml'), out: '.' });
 * app.synth();
 */
export class MeshfleetApp extends TreeApp {
  /** The fleet. */
  public readonly fleet: Fleet;
  /** Where the tree goes. */
  public readonly out: string;
  /** What the last `synth()` wrote, per target. */
  public results: ReadonlyArray<{ readonly target: DeliveryTarget; readonly result: WriteResult }> = [];
  private readonly targets: readonly DeliveryTarget[];

  constructor(props: MeshfleetAppProps) {
    super(props);
    this.fleet = props.fleet;
    this.out = props.out ?? 'dist';
    this.targets = props.targets ?? props.fleet.targets;
  }

  /**
   * Writes the fleet's trees into `out` (nothing at all when any target's tree is invalid or cannot be
   * written), instead of cdk8s's flat files.
   * @throws when `out` is cdk8s's own output folder, which cdk8s empties before every run
   */
  public synth(): void {
    const cdk8sOut = process.env.CDK8S_OUTDIR;
    if (cdk8sOut !== undefined && path.resolve(cdk8sOut) === path.resolve(this.out)) {
      throw new Error(`MeshfleetApp: the tree's folder ${this.out} is cdk8s's output folder, which cdk8s empties before every run; set output: .cdk8s.out in cdk8s.yaml`);
    }
    const trees = this.targets.map((t) => synthTarget(t, this.fleet));
    this.results = writeFleetTrees(this.out, this.fleet, trees);
    // Under `cdk8s synth`, the CLI expects the app to have made its output folder (and fails otherwise);
    // the tree is elsewhere, so it stays empty.
    if (cdk8sOut !== undefined) fs.mkdirSync(cdk8sOut, { recursive: true });
  }
}
