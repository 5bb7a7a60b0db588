#!/usr/bin/env node
// The package's command (`npx vividly-monitoring <command> ...`, package.json "bin"): the offline tools without npm's
// "> script" banner, so `--json` and JSON-lines output can be redirected. It rebuilds dist/ only when a TypeScript
// source is newer, and re-synthesizes cdktf.out only for the tools that read it, only when a source or environment
// is newer than the synth and no --synth-dir/--policy points elsewhere. Progress goes to stderr on a terminal only.
'use strict';
const path = require('node:path');
const { ensureBuilt, ensureSynth, ROOT } = require('./freshness');
const { tuneForShortRun } = require('./v8-flags');

/** The tools that read cdktf.out by default (cost and export-hcl when it is fresh: tools/shared/synth-dir.ts). */
const READS_SYNTH = new Set(['check-logs', 'simulate', 'preview', 'drill', 'backtest', 'cost', 'export-hcl']);

/** Whether `file` is below this project's cdktf.out (the synth the bin keeps fresh). */
const inOwnSynth = (file) => !path.relative(path.join(ROOT, 'cdktf.out'), path.resolve(file)).startsWith('..');

function needsSynth(argv) {
  const [command, ...rest] = argv;
  // Help, as the commands take it (tools/shared/usage.ts): `--help` or `-h` before any `--`.
  const end = rest.indexOf('--');
  if ((end < 0 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h')) return false;
  // `lint cdktf.out/stacks/*/cdk.tf.json` (CI's form) after an edit would lint the synth before it.
  if (command === 'lint') return rest.some((a) => !a.startsWith('-') && inOwnSynth(a));
  if (!READS_SYNTH.has(command)) return false;
  return !rest.some((a) => a === '--synth-dir' || a.startsWith('--synth-dir=') || a === '--policy' || a.startsWith('--policy='));
}

async function main(argv) {
  try {
    if (needsSynth(argv) && path.resolve(process.cwd()) === ROOT) ensureSynth();
    else ensureBuilt();
  } catch (err) {
    process.stderr.write(`vividly-monitoring: ${err.message}\n`);
    return 1;
  }
  return require(path.join(ROOT, 'dist', 'tools', 'cli.js')).main(argv);
}

module.exports = { needsSynth };

if (require.main === module) {
  // The tool runs in this process: V8 tuned for a short run (scripts/v8-flags.js).
  tuneForShortRun();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
