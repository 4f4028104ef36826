export * from './files';
export * from './plural-layout';
export * from './writer';
export * from './check';
export * from './plural-sim';
export { OutputFolderError, WriterFs } from './confined';
export { OwnedListError, OwnedEntry } from './owned-list';
