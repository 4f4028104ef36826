export * from './errors';
export * from './props';
export * from './rules';
export * from './fleet';
export * from './loader';
export * from './multigres';
