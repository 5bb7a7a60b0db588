const fs = require('node:fs');
const { pruneCodeCache } = require('./runtime');

module.exports = async function globalTeardown() {
  pruneCodeCache();
  const runTmp = globalThis.__RUN_TMP__;
  if (!runTmp) return;
  for (const [name, value] of Object.entries(globalThis.__USER_ENV__ ?? {})) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  if (globalThis.__SYNTH_TMP__) fs.rmSync(globalThis.__SYNTH_TMP__, { recursive: true, force: true });
  const leftovers = fs.readdirSync(runTmp).sort();
  fs.rmSync(runTmp, { recursive: true, force: true });
  // The run's temporary directory (see global-setup.js): whatever a test left there, it left in the user's /tmp too.
  if (leftovers.length > 0) throw new Error(`tests left files in the temporary directory (removed now): ${leftovers.join(', ')}`);
};
