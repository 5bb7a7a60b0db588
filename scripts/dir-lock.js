// A lock that is a folder holding its holder's pid: the build's (dist.lock/, scripts/freshness.js) and the synth's
// (cdktf.out.lock/, stacks/synth-output.ts), one protocol in one place. Plain JavaScript with no dependency: the build
// takes it before anything is compiled.
//
// mkdir is atomic: one process makes the folder, then writes its pid aside and renames it in, so a waiter reads no
// pid or a whole one. A lock whose holder ended (SIGKILL) is taken over, one waiter at a time, under a guard
// (`<lock>.takeover`) and judged again there: two waiters that judged the same ended holder could otherwise both
// remove it, the second one the fresh lock the first had just taken, and both go on as holders.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** How long a lock (or a takeover guard) may stand without a pid before it counts as never completed. */
const UNFINISHED_LOCK_MS = 10_000;

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Whether a process with this pid runs (EPERM: it does, as another user's); never for 0 or less (process groups). */
function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * The pid in a lock's pid file; undefined when there is none or it is not a whole pid (not written yet, or an empty
 * file as older versions left between mkdir and write). Never 0: Number('') is 0, a "dead" holder.
 */
function lockHolder(lock) {
  try {
    const text = fs.readFileSync(path.join(lock, 'pid'), 'utf8');
    return /^[1-9][0-9]*$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Milliseconds since `dir` was last modified; undefined when it is gone. */
function ageOf(dir) {
  try {
    return Date.now() - fs.statSync(dir).mtimeMs;
  } catch {
    return undefined;
  }
}

/** A holder that ended never released its lock; a lock without a pid for 10 s was never completed. */
function isStale(lock) {
  const holder = lockHolder(lock);
  if (holder !== undefined) return !alive(holder);
  const age = ageOf(lock);
  return age !== undefined && age > UNFINISHED_LOCK_MS;
}

/** Removes a stale lock, one waiter at a time, under the guard, judging it again there (see the top). */
function takeOverStaleLock(lock) {
  const guard = `${lock}.takeover`;
  try {
    fs.mkdirSync(guard);
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
    // Another waiter is taking it over; a guard left by a process killed in these few lines is removed once old.
    if ((ageOf(guard) ?? 0) > UNFINISHED_LOCK_MS) fs.rmSync(guard, { recursive: true, force: true });
    return;
  }
  try {
    if (isStale(lock)) fs.rmSync(lock, { recursive: true, force: true });
  } finally {
    fs.rmSync(guard, { recursive: true, force: true });
  }
}

/** One attempt: true when this process now holds `lock`. */
function tryLock(lock) {
  try {
    fs.mkdirSync(lock);
    const written = path.join(lock, `pid.${process.pid}`);
    fs.writeFileSync(written, String(process.pid));
    fs.renameSync(written, path.join(lock, 'pid'));
    return true;
  } catch (err) {
    // EEXIST: held. ENOENT: the lock this process had just made was removed meanwhile (taken over as stale by a waiter
    // of an older version): try again.
    if (err.code !== 'EEXIST' && err.code !== 'ENOENT') throw err;
    return false;
  }
}

/**
 * Takes `lock`, waiting while a live process holds it and taking over a stale one. At each wait `waiting(holder)` is
 * called (the holder's pid, or undefined before it wrote it); past `timeoutMs` the error `timeout(holder)` is thrown.
 */
function acquireDirLock(lock, { timeoutMs, pollMs, waiting = () => undefined, timeout }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (tryLock(lock)) return;
    const stale = isStale(lock);
    if (stale) {
      takeOverStaleLock(lock);
      if (!fs.existsSync(lock)) continue; // gone: try to take it at once (else another waiter is taking it over)
    }
    const holder = lockHolder(lock);
    if (Date.now() > deadline) throw timeout(holder);
    if (!stale) waiting(holder);
    sleep(pollMs);
  }
}

/** Removes `lock` if this process holds it (its pid file says so): never a lock another process took over since. */
function releaseDirLock(lock) {
  if (lockHolder(lock) === process.pid) fs.rmSync(lock, { recursive: true, force: true });
}

module.exports = { UNFINISHED_LOCK_MS, alive, lockHolder, takeOverStaleLock, acquireDirLock, releaseDirLock };
