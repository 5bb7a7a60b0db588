// Is dist/ older than the TypeScript it is compiled from? Shared by scripts/cdktf-app.js (which rebuilds) and
// `review` (which refuses to review the working tree through a stale build). Plain CommonJS: it runs before any build.
const fs = require('node:fs');
const path = require('node:path');

const SOURCES = ['main.ts', 'environments', 'catalog', 'stacks', 'constructs', 'tools'];
/** Written by scripts/cdktf-app.js after its own build. */
const STAMP = path.join('dist', '.built-by-cdktf-app');

/** The newest file ending in `ext` below `entry` (relative to root): { file, mtimeMs }, mtimeMs 0 when none. */
function newest(root, entry, ext) {
  const stat = fs.statSync(path.join(root, entry), { throwIfNoEntry: false });
  if (!stat) return { file: entry, mtimeMs: 0 };
  if (!stat.isDirectory()) return { file: entry, mtimeMs: entry.endsWith(ext) && !entry.endsWith('.d.ts') ? stat.mtimeMs : 0 };
  return fs.readdirSync(path.join(root, entry)).map((name) => newest(root, path.join(entry, name), ext)).reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a), { file: entry, mtimeMs: 0 });
}

/**
 * The source file newer than the last build (undefined when dist/ is up to date). The last build is the newest of the
 * compiled files, dist/.tsbuildinfo (tsc's incremental build rewrites it on every run, even when it re-emits nothing)
 * and the stamp of scripts/cdktf-app.js.
 */
function staleSource(root) {
  if (!fs.existsSync(path.join(root, 'dist', 'main.js'))) return 'dist/main.js (missing)';
  const built = Math.max(newest(root, 'dist', '.js').mtimeMs, newest(root, path.join('dist', '.tsbuildinfo'), '').mtimeMs, newest(root, STAMP, '').mtimeMs);
  const source = SOURCES.map((s) => newest(root, s, '.ts')).reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a));
  return source.mtimeMs > built ? source.file : undefined;
}

module.exports = { staleSource, STAMP };
