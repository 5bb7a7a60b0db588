import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../catalog/project-root';
import { regenerate } from './generate';

/** `npm run docs` rewrites README.md's generated sections; `--check` exits 1 if they are stale. */
export async function run(argv: string[]): Promise<number> {
  let values: { check?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { check: { type: 'boolean', default: false } } }));
  } catch (err) {
    console.error(`docs: ${(err as Error).message}`);
    return 2;
  }
  const file = path.join(projectRoot(), 'README.md');
  const current = fs.readFileSync(file, 'utf8');
  const next = regenerate(current);
  if (values.check) {
    if (next !== current) {
      console.error('docs: README.md generated sections are stale: run `npm run docs` and commit the result');
      return 1;
    }
    console.log('docs: README.md is up to date');
    return 0;
  }
  if (next !== current) fs.writeFileSync(file, next);
  console.log(next === current ? 'docs: README.md already up to date' : 'docs: README.md regenerated');
  return 0;
}
