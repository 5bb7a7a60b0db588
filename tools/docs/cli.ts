import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../catalog/project-root';
import * as os from 'node:os';
import { synthesize } from '../../main';
import { costSection, regenerate } from './generate';
import { DEFAULT_SYNTH_DIR, stackFile } from '../../stacks/synth-output';
import { parseCommandLine } from '../shared/usage';

const USAGE = `usage: vividly-monitoring docs [--check]
  --check   exit 1 when README.md's generated sections are stale, writing nothing`;

/** `npm run docs` rewrites README.md's generated sections; `--check` exits 1 if they are stale. */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('docs', USAGE, { args: argv, options: { check: { type: 'boolean', default: false } }, allowPositionals: false });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const file = path.join(projectRoot(), 'README.md');
  const current = fs.readFileSync(file, 'utf8');
  // The cost table reads a synthesized prod stack: what is estimated is what is deployed.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-synth-'));
  let next: string;
  try {
    synthesize(path.join(dir, DEFAULT_SYNTH_DIR), ['prod']);
    const prod = JSON.parse(fs.readFileSync(stackFile(path.join(dir, DEFAULT_SYNTH_DIR), 'prod'), 'utf8'));
    next = regenerate(current, { cost: () => costSection(prod) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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
