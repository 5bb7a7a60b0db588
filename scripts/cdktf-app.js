#!/usr/bin/env node
// The app `cdktf synth|diff|deploy` runs (cdktf.json). It runs the compiled app, compiling it first when dist/ is
// missing or older than a TypeScript source (scripts/freshness.js), so `cdktf deploy prod` on a fresh clone never
// runs stale code, and an up-to-date build costs only a few file stats.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { ensureBuilt, ROOT } = require('./freshness');

try {
  ensureBuilt({ say: (m) => process.stderr.write(`${m}\n`) });
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'main.js'), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit', env: process.env });
process.exitCode = result.status ?? 1;
