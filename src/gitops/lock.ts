import * as os from 'os';
import { errno, WriterFs } from './confined';

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

/**
 * Takes an exclusive lock on an output folder: a lock file created with `O_EXCL`, holding this
 * process's pid and host. A second run waits up to `timeoutMs`, then fails with a clear message. A
 * lock left by a process that no longer exists on this host (a killed run) is taken over.
 *
 * @param lockPath absolute path of the lock file (its folder exists and is not a symlink)
 * @param displayPath the path named in messages
 * @throws Error when another live run holds the lock past the timeout
 */
export function acquireLock(io: WriterFs, lockPath: string, displayPath: string, options: LockOptions = {}): HeldLock {
  const timeoutMs = options.timeoutMs ?? 5000;
  const mine = `${process.pid} ${os.hostname()}\n`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      io.writeFileSync(lockPath, mine, { flag: 'wx', mode: 0o644 });
      return {
        release: () => {
          try {
            if (io.readFileSync(lockPath).toString('utf8') === mine) io.unlinkSync(lockPath);
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw e;
    }
    let holder = '';
    try {
      holder = io.readFileSync(lockPath).toString('utf8');
    } catch (e) {
      if (errno(e) === 'ENOENT') continue; // released meanwhile
      throw e;
    }
    if (isStale(holder)) {
      // Re-read just before removing, so a lock another run took over meanwhile is left alone.
      try {
        if (io.readFileSync(lockPath).toString('utf8') === holder) io.unlinkSync(lockPath);
      } catch (e) {
        if (errno(e) !== 'ENOENT') throw e;
      }
      continue;
    }
    if (Date.now() >= deadline) {
      const [pid, host] = holder.trim().split(' ');
      throw new Error(`another meshfleet run (pid ${pid ?? '?'} on ${host ?? '?'}) is writing to this folder; waited ${timeoutMs} ms. `
        + `Wait for it to finish; if no such run exists, delete ${displayPath}`);
    }
    sleep(POLL_MS);
  }
}

/** A lock whose process is gone from this host; a lock of another host, or unreadable, is never stale. */
function isStale(holder: string): boolean {
  const m = /^(\d+) (.*)\n?$/.exec(holder);
  if (!m || m[2] !== os.hostname()) return false;
  const pid = Number(m[1]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return errno(e) === 'ESRCH';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
