const fs = require('node:fs');
const { pruneCompileCache } = require('./node-environment');
const { pruneCodeCache } = require('./runtime');

module.exports = async function globalTeardown() {
  pruneCodeCache();
  pruneCompileCache();
  const runTmp = globalThis.__RUN_TMP__;
  if (!runTmp) return;
  if (globalThis.__USER_TMPDIR__ === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = globalThis.__USER_TMPDIR__;
  if (globalThis.__SYNTH_TMP__) fs.rmSync(globalThis.__SYNTH_TMP__, { recursive: true, force: true });
  const leftovers = fs.readdirSync(runTmp).sort();
  fs.rmSync(runTmp, { recursive: true, force: true });
  // The run's temporary directory (see global-setup.js): whatever a test left there, it left in the user's /tmp too.
  if (leftovers.length > 0) throw new Error(`tests left files in the temporary directory (removed now): ${leftovers.join(', ')}`);
};
