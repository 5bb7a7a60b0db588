#!/usr/bin/env node
// The app `cdktf synth|diff|deploy` runs (cdktf.json). It runs the compiled app, compiling it first when dist/ is
// missing or older than a TypeScript source, so `cdktf deploy prod` on a fresh clone never runs stale code, and an
// up-to-date build costs only a few file stats.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const main = path.join(root, 'dist', 'main.js');
const SOURCES = ['main.ts', 'environments', 'catalog', 'stacks', 'constructs', 'tools'];

/** The newest modification time of the files ending in `ext` below `entry` (0 when none). */
function newest(entry, ext) {
  const full = path.join(root, entry);
  const stat = fs.statSync(full, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return entry.endsWith(ext) ? stat.mtimeMs : 0;
  return Math.max(0, ...fs.readdirSync(full).map((name) => newest(path.join(entry, name), ext)));
}

// tsc re-emits only files whose output changed, so the last build is the newest compiled file or this script's stamp.
const stamp = path.join(root, 'dist', '.built-by-cdktf-app');
if (!fs.existsSync(main) || Math.max(...SOURCES.map((s) => newest(s, '.ts'))) > Math.max(newest('dist', '.js'), newest(path.relative(root, stamp), ''))) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, '');
}
const result = spawnSync(process.execPath, [main, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: process.env });
process.exitCode = result.status ?? 1;
