export * from './files';
export * from './plural-layout';
export * from './writer';
export * from './check';
export * from './plural-sim';
export { OutputFolderError } from './confined';
export type { WriterFs } from './confined';
export { OwnedListError } from './owned-list';
export type { OwnedEntry } from './owned-list';
