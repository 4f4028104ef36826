/** The fleet's connectivity-probe settings, with defaults applied and checked. */
import { FaultCollector } from './errors';
import { FleetProps } from './props';
import { dnsLabelProblem } from '../k8s/names';

/** The probe's settings with defaults applied. */
export interface ResolvedProbe {
  /** Image of the responder and the prober, pinned. */
  readonly image: string;
  /** Namespace, the same in every cluster. */
  readonly namespace: string;
  /** Seconds the prober waits for each peer. */
  readonly timeoutSeconds: number;
  /** Whether CiliumNetworkPolicies admit exactly the probe's traffic. */
  readonly networkPolicies: boolean;
}

/** The default image: busybox (its `httpd` and `wget`), an exact tag from Docker Hub's official images. */
export const PROBE_IMAGE = 'docker.io/library/busybox:1.36.1';

/** An image reference pinned by an exact tag (not `latest`) or by a digest. */
export const PINNED_IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9-]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$/;

/** Whether an image reference is pinned: an exact tag other than `latest`, or a digest. */
export function isPinnedImage(image: string): boolean {
  return PINNED_IMAGE.test(image) && !/:latest$/.test(image);
}

/** Resolves and checks the `probe:` section; undefined when there is no probe. */
export function resolveProbe(props: FleetProps, faults: FaultCollector): ResolvedProbe | undefined {
  const p = props.probe;
  if (!p || p.enabled === false) return undefined;
  const image = p.image ?? PROBE_IMAGE;
  if (!isPinnedImage(image)) {
    faults.add('probe.image', `fleet: probe.image "${image}" must be pinned: registry/repository with an exact tag or @sha256 digest, never latest (e.g. "${PROBE_IMAGE}")`);
  }
  const namespace = p.namespace ?? 'meshfleet-probe';
  const nsProblem = dnsLabelProblem(namespace);
  if (nsProblem) faults.add('probe.namespace', `fleet: probe.namespace "${namespace}" ${nsProblem}`);
  const timeoutSeconds = p.timeoutSeconds ?? 5;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 60) {
    faults.add('probe.timeoutSeconds', `fleet: probe.timeoutSeconds must be an integer in 1..60 (got ${JSON.stringify(timeoutSeconds)})`);
  }
  return { image, namespace, timeoutSeconds, networkPolicies: p.networkPolicies ?? true };
}
