export * from './common';
export * from './placement';
export * from './etcd';
export * from './multigateway';
export * from './multiorch';
export * from './multipooler';
export * from './multigres-cluster';
