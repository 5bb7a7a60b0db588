const fs = require('node:fs');
const { pruneCodeCache } = require('./runtime');

module.exports = async function globalTeardown() {
  if (globalThis.__SYNTH_TMP__) fs.rmSync(globalThis.__SYNTH_TMP__, { recursive: true, force: true });
  pruneCodeCache();
};
