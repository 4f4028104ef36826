export * from './files';
export * from './plural-layout';
export * from './writer';
export * from './check';
export * from './plural-sim';
