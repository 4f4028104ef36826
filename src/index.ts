export * from './fleet';
export * from './cilium/liquid';
export * from './cilium/values';
export * from './plural';
export * from './plural/regex';
export * from './gitops';
export * from './plural-fleet';
export * from './cilium/mesh-check';
