#!/usr/bin/env node
// `npm test`: the whole suite on any machine. It makes sure the headless browser is there (finding Debian's
// Chromium, or installing it as root with apt-get), rebuilds dist/ only when a source is newer, runs eslint and the
// prettier check, then runs jest with
// the given arguments (`npm test -- __tests__/preview`).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { ensureChromium } = require('./chromium');
const { ensureBuilt } = require('./freshness');

ensureChromium();
try {
  ensureBuilt({ say: (m) => process.stderr.write(`npm test: ${m}\n`) });
} catch (err) {
  process.stderr.write(`npm test: ${err.message}\n`);
  process.exit(1);
}
// The code's own lint (typescript-eslint, the import boundaries) and format check: part of the suite, cached.
// The packages export no bin path, so their bins are found beside their entry points.
const eslintBin = path.join(path.dirname(require.resolve('eslint')), '..', 'bin', 'eslint.js');
for (const [name, args] of [
  ['eslint', [eslintBin, '--cache', '--cache-location', 'node_modules/.cache/eslint/', '--cache-strategy', 'content', '.']],
  ['prettier', [require.resolve('prettier/bin/prettier.cjs'), '--check', '--log-level', 'warn', '.']],
]) {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`npm test: ${name} failed (see above)\n`);
    process.exit(r.status ?? 1);
  }
}
const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CHECKPOINT_DISABLE: '1' },
});
process.exitCode = jest.status ?? 1;
