// Each file read once per jest worker, while unchanged. jest reads and decodes every module again in each test file
// (some 130 MB per worker and run); the suite's runtime (runtime.js) reads through here instead. A kept copy is used
// while the file's device, inode, size, mtime and ctime are the same, and a file whose ctime is under 2 s old is
// always read anew: it may change again within one tick of the file system's clock and leave its stat as it was (git's
// "racily clean" rule). jest's own in-worker transform cache trusts a millisecond mtime alone.
'use strict';

// Taken once: a test that stubs fs (`jest.spyOn(fs, 'readFileSync')`) changes the object every realm shares, and its
// stub's bytes would be kept under the real file's stamp for the test files after it.
const { readFileSync, statSync } = require('node:fs');

/** filename -> { stamp, buffer, text }: each file this worker read, kept while its stat stays the same. */
const sources = new Map();
/** A file changed this recently may change again within one tick of the file system's clock: read anew each time. */
const RACY_NS = 2_000_000_000n;

/** What identifies one version of a file, or undefined when the file changed too recently to be trusted. */
function stampOf(filename, nowMs) {
  let stat;
  try {
    stat = statSync(filename, { bigint: true });
  } catch (err) {
    sources.delete(filename); // gone: nothing of it kept
    throw err;
  }
  if (BigInt(nowMs) * 1_000_000n - stat.ctimeNs < RACY_NS) return undefined;
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/** The file as this worker read it: { stamp, buffer, text }, text filled in by the first reader that decodes it. */
function readSource(filename, nowMs = Date.now()) {
  const stamp = stampOf(filename, nowMs);
  const kept = stamp && sources.get(filename);
  if (kept && kept.stamp === stamp) return kept;
  const source = { stamp, buffer: readFileSync(filename), text: undefined };
  if (stamp) sources.set(filename, source);
  else sources.delete(filename);
  return source;
}

module.exports = { readSource };
