// The suite's caches in node_modules/.cache (the jest runtime's, Node's compile cache, catalog/ids.test.ts's build
// info), and the one way the growing ones are bounded.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** node_modules/.cache of the project: kept from one run to the next, gone with a fresh install. */
const CACHE = path.join(__dirname, '..', '..', 'node_modules', '.cache');

/**
 * Removes the cache `dir` (a folder per Node version and V8 flags, an entry per module in each) once it holds more
 * than `maxEntries` entries; the next run writes what it uses again. Called by the global teardown.
 */
function boundCache(dir, maxEntries) {
  try {
    let entries = 0;
    for (const version of fs.readdirSync(dir)) entries += fs.readdirSync(path.join(dir, version)).length;
    if (entries > maxEntries) fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // No cache yet, or another run removed it meanwhile: nothing to bound.
  }
}

module.exports = { CACHE, boundCache };
