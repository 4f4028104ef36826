/**
 * Kubernetes' core objects as cdk8s L1s (`KubeService`, `KubeJob`, `KubeDeployment`, `KubeConfigMap`),
 * from cdk8s-plus-30's generated `k8s` module, loaded on first use: it takes ~0.14 s to load, and a run
 * whose fleet has no probe, mesh service or local profile never needs it.
 *
 * Why L1s and not cdk8s-plus-30's L2s (`kplus.Deployment`, `Job`, `Service`, `ConfigMap`): the L2s
 * write a hashed name and a `cdk8s.io/metadata.addr` selector label (a Deployment's or Job's selector is
 * immutable, so a tree that switched would fail to update every running probe and echo server), and
 * about twenty defaults of their own (1-1.5 CPU and 0.5-2 GiB per container, a startup probe,
 * `imagePullPolicy: Always`, `automountServiceAccountToken: false`...). meshfleet's objects set exactly
 * the fields they need (a 10m/16Mi prober with a restricted security context), and the trees users have
 * committed stay byte-identical.
 */
import type * as K8s from 'cdk8s-plus-30/lib/imports/k8s';

let loaded: typeof K8s | undefined;

/** The `k8s` L1 module, loaded once, on first call. */
export function kube(): typeof K8s {
  loaded ??= require('cdk8s-plus-30/lib/imports/k8s') as typeof K8s;
  return loaded;
}
