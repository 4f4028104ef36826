/** The exclusive lock of an output folder: one meshfleet run writes to a folder at a time. */
import * as crypto from 'crypto';
import * as os from 'os';
import * as path from 'path';
import { errno, readSmallFile, WriterFs } from './confined';

/** Options of `acquireLock`. */
export interface LockOptions {
  /**
   * How long to wait for another run to finish before giving up, in milliseconds.
   * @default 5000
   */
  readonly timeoutMs?: number;
}

/** A held lock; `release` removes it. */
export interface HeldLock {
  /** Removes the lock file (only if it is still ours). */
  release(): void;
}

const POLL_MS = 50;
/** This host, as temporary lock files are named (so a run sweeps only its own host's leftovers). */
const HOST = crypto.createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
/** The largest pid Linux hands out; a lock naming a larger one was not written by a run. */
const PID_MAX = 4194304;
/** A lock whose content cannot be read as `pid host` is stale once it is this old (a run writes it at once). */
const UNREADABLE_STALE_MS = 2000;
/** The guard taken while a stale lock is removed is itself stale after this long. */
const GUARD_STALE_MS = 10_000;
const MAX_LOCK_BYTES = 512;

/**
 * Takes an exclusive lock on an output folder: a lock file holding this process's pid and host,
 * written to a temporary name and hard-linked into place (so it is never seen empty, and the link
 * fails when the lock exists). A second run waits up to `timeoutMs`, then fails with a clear message.
 * A lock left by a process that no longer exists on this host (a killed run), or an unreadable one
 * older than two seconds, is removed under a second guard lock, so two runs never remove each other's.
 * Nothing is followed through a symlink: a lock that is not a regular file is an error.
 *
 * @param lockPath absolute path of the lock file (its folder exists and is not a symlink)
 * @param displayPath the path named in messages
 * @throws Error when another live run holds the lock past the timeout, or the lock is not a regular file
 */
export function acquireLock(io: WriterFs, lockPath: string, displayPath: string, options: LockOptions = {}): HeldLock {
  const timeoutMs = options.timeoutMs ?? 5000;
  const mine = `${process.pid} ${os.hostname()}\n`;
  const deadline = Date.now() + timeoutMs;
  sweepTemporaries(io, path.dirname(lockPath));
  for (;;) {
    if (tryLink(io, lockPath, mine)) {
      return {
        release: () => {
          try {
            if (readSmallFile(io, lockPath, MAX_LOCK_BYTES)?.text === mine) io.unlinkSync(lockPath);
          } catch {
            // gone, or replaced: not ours to remove
          }
        },
      };
    }
    const holder = readLock(io, lockPath, displayPath);
    if (holder && isStale(holder)) {
      removeStale(io, lockPath, holder.text, mine);
    } else if (Date.now() >= deadline) {
      const [pid, host] = (holder?.text ?? '').trim().split(' ');
      throw new Error(`another meshfleet run (pid ${pid || '?'} on ${host || '?'}) is writing to this folder; waited ${timeoutMs} ms. `
        + `Wait for it to finish; if no such run exists, delete ${displayPath}`);
    } else {
      sleep(POLL_MS);
    }
  }
}

/** Creates `target` holding `content` unless it exists; never leaves it empty or partly written. */
function tryLink(io: WriterFs, target: string, content: string): boolean {
  const tmp = path.join(path.dirname(target), `.lock-${HOST}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  io.writeFileSync(tmp, content, { flag: 'wx', mode: 0o644 });
  try {
    io.linkSync(tmp, target);
    return true;
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    throw e;
  } finally {
    try {
      io.unlinkSync(tmp);
    } catch {
      // removed by a sweep: harmless
    }
  }
}

function readLock(io: WriterFs, lockPath: string, displayPath: string): { text: string; mtimeMs: number } | null {
  try {
    return readSmallFile(io, lockPath, MAX_LOCK_BYTES);
  } catch {
    throw new Error(`the lock ${displayPath} is not a regular file; meshfleet never follows a symlink there. Delete it and run again`);
  }
}

/** Removes a stale lock, holding a guard so that no other run removes a lock taken meanwhile. */
function removeStale(io: WriterFs, lockPath: string, staleText: string, mine: string): void {
  const guard = `${lockPath}.guard`;
  if (!tryLink(io, guard, mine)) {
    const g = readSmallFile(io, guard, MAX_LOCK_BYTES);
    if (g && (isStale(g) || Date.now() - g.mtimeMs > GUARD_STALE_MS)) {
      try {
        // Only the guard that was judged stale (another run may have taken a fresh one meanwhile).
        if (readSmallFile(io, guard, MAX_LOCK_BYTES)?.text === g.text) io.unlinkSync(guard);
      } catch {
        // another run did it
      }
    } else {
      sleep(POLL_MS);
    }
    return;
  }
  try {
    if (readSmallFile(io, lockPath, MAX_LOCK_BYTES)?.text === staleText) io.unlinkSync(lockPath);
  } finally {
    io.unlinkSync(guard);
  }
}

/** Temporary lock files (`.lock-<pid>-<random>`) of processes gone from this host. */
function sweepTemporaries(io: WriterFs, dir: string): void {
  for (const name of io.readdirSync(dir)) {
    const m = /^\.lock-([0-9a-f]{8})-(\d+)-[0-9a-f]{8}$/.exec(name);
    if (!m || m[1] !== HOST || isAlive(Number(m[2]))) continue;
    try {
      if (io.lstatSync(path.join(dir, name)).isFile()) io.unlinkSync(path.join(dir, name));
    } catch {
      // gone
    }
  }
}

/** A lock whose process is gone from this host, or unreadable and not fresh; a lock of another host is never stale. */
function isStale(holder: { text: string; mtimeMs: number }): boolean {
  const m = /^(\d{1,7}) (\S+)\n$/.exec(holder.text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > PID_MAX) return Date.now() - holder.mtimeMs > UNREADABLE_STALE_MS;
  if (m[2] !== os.hostname()) return false;
  return !isAlive(Number(m[1]));
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) !== 'ESRCH';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
