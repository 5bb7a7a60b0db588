/**
 * The project's installed packages for a copy of the project a test runs tools in: `node_modules` is a folder of
 * links to each package, not one link to the whole folder, so the copy's tools keep their caches in the copy's own
 * `node_modules/.cache`. With one link, a copy's `npm test` wrote its prettier and eslint caches into this project's:
 * prettier's file gained the copy's entries each run, and a copy's check writing it while this run's check had not
 * yet written its own lost every entry of this run (the next `npm test` checked every file again, ~6 s of CPU).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const installed = path.resolve(__dirname, '..', '..', 'node_modules');

export function linkDependencies(copy: string): void {
  const target = path.join(copy, 'node_modules');
  fs.mkdirSync(target);
  for (const entry of fs.readdirSync(installed)) {
    if (entry !== '.cache') fs.symlinkSync(path.join(installed, entry), path.join(target, entry), 'dir');
  }
}
