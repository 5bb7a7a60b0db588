const fs = require('node:fs');
const path = require('node:path');

/** The code cache of __tests__/support/runtime.js: an edit adds an entry per changed module, so it is bounded here. */
const CODE_CACHE = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'jest-v8-code-cache');
const CODE_CACHE_MAX_ENTRIES = 10000;

module.exports = async function globalTeardown() {
  if (globalThis.__SYNTH_TMP__) fs.rmSync(globalThis.__SYNTH_TMP__, { recursive: true, force: true });
  // About six full sets: past that, most entries are of sources since edited (or of another Node), so start afresh.
  try {
    let entries = 0;
    for (const dir of fs.existsSync(CODE_CACHE) ? fs.readdirSync(CODE_CACHE) : []) entries += fs.readdirSync(path.join(CODE_CACHE, dir)).length;
    if (entries > CODE_CACHE_MAX_ENTRIES) fs.rmSync(CODE_CACHE, { recursive: true, force: true });
  } catch {
    // Another run removed it meanwhile: nothing to bound.
  }
};
