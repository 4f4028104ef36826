/// <reference types="node" preserve="true" />
/** The output folder as the writer sees it: confined paths, no symlinks followed, injectable file-system calls. */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The file-system calls the writer makes, so tests can inject failures at any one of them.
 * Node's `fs` module satisfies it.
 */
export interface WriterFs {
  lstatSync(p: string): fs.Stats;
  statSync(p: string): fs.Stats;
  realpathSync(p: string): string;
  readFileSync(p: string): Buffer;
  writeFileSync(p: string, data: string, options: { flag: string; mode?: number }): void;
  renameSync(from: string, to: string): void;
  unlinkSync(p: string): void;
  mkdirSync(p: string): void;
  rmdirSync(p: string): void;
  readdirSync(p: string): string[];
  accessSync(p: string, mode: number): void;
  rmSync(p: string, options: { recursive: boolean; force: boolean }): void;
  linkSync(existing: string, p: string): void;
  openSync(p: string, flags: number): number;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
}

/**
 * Reads at most `max` bytes of a regular file without following a symlink (and without blocking on
 * a FIFO or reading a device); null when absent.
 * @throws Error when something other than a regular file is there
 */
export function readSmallFile(io: WriterFs, p: string, max: number): { text: string; mtimeMs: number } | null {
  let st: fs.Stats;
  try {
    st = io.lstatSync(p);
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw e;
  }
  if (!st.isFile()) throw new Error(`${p} is not a regular file (${st.isSymbolicLink() ? 'a symlink' : 'something else'}); delete it`);
  let fd: number;
  try {
    fd = io.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    if (errno(e) === 'ELOOP') throw new Error(`${p} is a symlink; delete it`);
    throw e;
  }
  try {
    const buf = Buffer.alloc(max);
    const n = io.readSync(fd, buf, 0, max, 0);
    return { text: buf.subarray(0, n).toString('utf8'), mtimeMs: st.mtimeMs };
  } finally {
    io.closeSync(fd);
  }
}

/** Most bytes meshfleet reads of its own state files (owned lists, journals); it never writes more. */
export const MAX_STATE_BYTES = 16 * 1024 * 1024;

/** Thrown when the output folder itself cannot be used (empty path, a file, a symlink, unwritable). */
export class OutputFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputFolderError';
  }
}

/** Path segments meshfleet writes: letters, digits, `.`, `_`, `-`; never `.` or `..` alone. */
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Why `rel` is not a path the writer may touch inside its folder (relative, `/`-separated, no empty,
 * `.` or `..` segment, no absolute path, no backslash or control character), or undefined when it is fine.
 */
export function relPathProblem(rel: string): string | undefined {
  if (rel.length === 0) return 'is empty';
  if (rel.length > 4096) return 'is longer than 4096 characters';
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return 'is absolute';
  const segments = rel.split('/');
  if (segments.some((s) => s === '..')) return 'has a ".." segment';
  if (segments.some((s) => /^\.git[. ]*$/i.test(s))) return 'is inside a .git folder';
  if (segments.some((s) => s === '.' || s === '')) return 'has an empty or "." segment';
  if (!segments.every((s) => SEGMENT.test(s) && s.length <= 255)) return 'has characters other than letters, digits, ".", "_", "-" and "/"';
  return undefined;
}

/** sha256 of a file's content, as lowercase hex. */
export function contentHash(content: string | Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}

/** What is at a path, without following a symlink. */
export type Entry =
  | { readonly kind: 'absent' }
  | { readonly kind: 'file'; readonly dev: number }
  | { readonly kind: 'dir'; readonly dev: number }
  | { readonly kind: 'symlink' }
  | { readonly kind: 'other' };

/**
 * A folder the writer is confined to. Every path it is given is relative, checked by
 * `relPathProblem`, and resolved below the folder's real path; no call follows a symlink, either at
 * the path itself or at any folder on the way to it (those are reported as `symlink`).
 */
export class ConfinedFolder {
  /** The folder's real path (symlinks above it resolved once, when it was opened). */
  public readonly root: string;
  private readonly dirs = new Map<string, Entry>();

  /**
   * Opens (and creates, when absent) the output folder.
   * @throws OutputFolderError when the path is empty, names a file or a symlink, or cannot be created
   */
  constructor(outDir: string, public readonly io: WriterFs = fs) {
    if (outDir.length === 0) throw new OutputFolderError('the output folder path is empty');
    refuseSymlinkedOut(outDir, io);
    let st: fs.Stats | undefined;
    try {
      st = io.statSync(path.resolve(outDir));
    } catch (e) {
      if (errno(e) !== 'ENOENT') throw new OutputFolderError(`cannot use output folder ${outDir}: ${errno(e) ?? (e as Error).message}`);
    }
    if (st && !st.isDirectory()) throw new OutputFolderError(`output folder ${outDir} exists and is not a folder`);
    if (!st) {
      try {
        fs.mkdirSync(path.resolve(outDir), { recursive: true });
      } catch (e) {
        throw new OutputFolderError(`cannot create output folder ${outDir}: ${errno(e) ?? (e as Error).message}`);
      }
    }
    this.root = io.realpathSync(path.resolve(outDir));
  }

  /** @throws OutputFolderError when the folder cannot be written to */
  public requireWritable(outDir: string): void {
    try {
      this.io.accessSync(this.root, fs.constants.W_OK | fs.constants.X_OK);
    } catch (e) {
      throw new OutputFolderError(`output folder ${outDir} is not writable (${errno(e) ?? (e as Error).message})`);
    }
  }

  /** Absolute path of a relative path in the folder. @throws when the path is not allowed */
  public abs(rel: string): string {
    const problem = relPathProblem(rel);
    if (problem) throw new Error(`path "${rel}" ${problem}`);
    return path.join(this.root, ...rel.split('/'));
  }

  /** What is at `rel`, not following symlinks; a symlinked folder on the way makes it `symlink`. */
  public entry(rel: string): Entry {
    const segments = rel.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = this.dirEntry(segments.slice(0, i).join('/'));
      if (dir.kind === 'absent') return dir;
      if (dir.kind !== 'dir') return dir.kind === 'file' ? { kind: 'other' } : dir;
    }
    return this.lstat(rel);
  }

  /** The first folder on the way to `rel` that is not a real folder, with what it is; undefined when all are. */
  public blockedAt(rel: string): { readonly at: string; readonly entry: Entry } | undefined {
    const segments = rel.split('/');
    for (let i = 1; i < segments.length; i++) {
      const at = segments.slice(0, i).join('/');
      const dir = this.dirEntry(at);
      if (dir.kind === 'absent') return undefined;
      if (dir.kind !== 'dir') return { at, entry: dir };
    }
    return undefined;
  }

  /** The deepest existing folder on the way to `rel` (`''` for the root). */
  public deepestExisting(rel: string): string {
    const segments = rel.split('/');
    let deepest = '';
    for (let i = 1; i < segments.length; i++) {
      const at = segments.slice(0, i).join('/');
      if (this.dirEntry(at).kind !== 'dir') break;
      deepest = at;
    }
    return deepest;
  }

  /** A regular file's content; null when absent; undefined when it is a folder, symlink or anything else. */
  public read(rel: string): string | null | undefined {
    const e = this.entry(rel);
    if (e.kind === 'absent') return null;
    if (e.kind !== 'file') return undefined;
    return this.io.readFileSync(this.abs(rel)).toString('utf8');
  }

  /** Device of a folder in the tree (`''` for the root). */
  public devOf(relDir: string): number {
    return this.io.lstatSync(relDir === '' ? this.root : this.abs(relDir)).dev;
  }

  /**
   * What is at `rel` when a folder is expected there (like `entry`, but the answer is remembered as
   * folder lookups are, so a run's many files under one folder look it up once).
   */
  public folderEntry(rel: string): Entry {
    const segments = rel.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = this.dirEntry(segments.slice(0, i).join('/'));
      if (dir.kind === 'absent') return dir;
      if (dir.kind !== 'dir') return dir.kind === 'file' ? { kind: 'other' } : dir;
    }
    return this.dirEntry(rel);
  }

  /** Forgets the remembered lookup of one path (after a folder was made there; nothing below it was looked up). */
  public forgetAt(rel: string): void {
    this.dirs.delete(rel);
  }

  /** Forgets cached folder lookups (after folders were created or removed). */
  public forget(): void {
    this.dirs.clear();
  }

  private dirEntry(rel: string): Entry {
    let e = this.dirs.get(rel);
    if (!e) {
      e = this.lstat(rel);
      this.dirs.set(rel, e);
    }
    return e;
  }

  private lstat(rel: string): Entry {
    let st: fs.Stats;
    try {
      st = this.io.lstatSync(this.abs(rel));
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return { kind: 'absent' };
      throw e;
    }
    if (st.isSymbolicLink()) return { kind: 'symlink' };
    if (st.isFile()) return { kind: 'file', dev: st.dev };
    if (st.isDirectory()) return { kind: 'dir', dev: st.dev };
    return { kind: 'other' };
  }
}

/**
 * Refuses an output folder that is a symlink, or that is reached through a symlinked folder below
 * the working directory (the repository, where such links can be committed and would carry every
 * write out of it). Above the working directory, the path is the user's to choose.
 */
function refuseSymlinkedOut(outDir: string, io: WriterFs): void {
  const abs = path.resolve(outDir);
  const cwd = process.cwd();
  const rel = path.relative(cwd, abs);
  const inside = rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  const parts = inside ? rel.split(path.sep) : [];
  const checks = inside ? parts.map((_, i) => path.join(cwd, ...parts.slice(0, i + 1))) : [abs];
  for (const p of checks) {
    let st: fs.Stats;
    try {
      st = io.lstatSync(p);
    } catch {
      return; // absent from here on
    }
    if (st.isSymbolicLink()) {
      throw new OutputFolderError(`output folder ${outDir}: ${path.relative(cwd, p) || p} is a symlink; meshfleet never writes through one (pass the real path)`);
    }
  }
}

/** The `code` of a Node.js system error, if any. */
export function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}
