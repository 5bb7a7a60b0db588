#!/usr/bin/env node
// The app `cdktf synth|diff|deploy` runs (cdktf.json). It runs the compiled app, compiling it first when dist/ is
// missing, older than a TypeScript source, or from a build that failed (scripts/freshness.js), so `cdktf deploy prod` on a fresh clone never
// runs stale code, and an up-to-date build costs only a few file stats.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { ensureBuilt, ROOT } = require('./freshness');
const { SHORT_RUN_NODE_ARGS } = require('./v8-flags');

try {
  ensureBuilt(); // its progress on a terminal only (scripts/freshness.js); an error always
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
// cdktf runs the app with no hint of the stack it is about to deploy (no argument, no variable: @cdktf/cli-core
// synth-stack.js sets only CDKTF_OUTDIR, CDKTF_CONTEXT_JSON and SYNTH_HCL_OUTPUT), so every environment stands on its
// own (`--each-env`): a bad one is reported on stderr and left out, and `cdktf deploy <another env>` goes on. The app
// then exits 0, because cdktf prints a failing app's stderr twice (streamed, then again in its error summary);
// `cdktf deploy <the bad env>` still fails, with "Could not find stack", after the app's message.
const result = spawnSync(process.execPath, [...SHORT_RUN_NODE_ARGS, path.join(ROOT, 'dist', 'main.js'), '--each-env', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: process.env,
});
process.exitCode = result.status ?? 1;
