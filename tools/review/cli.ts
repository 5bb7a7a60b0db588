/**
 * `review --base <git ref | synth dir> [--head <git ref | synth dir>] [--out FILE]`: semantic diff of two synths as
 * markdown for a pull-request comment (on stdout, and in FILE: checked before the synths, written whole or not at all). The head defaults to a fresh synth of the working tree. A git ref is synthesized in a
 * temporary git worktree (removed afterwards, on error and on SIGINT/SIGTERM too; what a killed review left is removed
 * by the next one). The working tree is reviewed through dist/: a build older than a source is refused (exit 2).
 * Exit 0 with the markdown on stdout; 2 on bad arguments or input.
 */
import * as fs from 'node:fs';
import { diffEnvironment, reviewMarkdown } from './diff';
import { checkOutputPath, writeOutputFile } from '../shared/output';
import {
  cleanUpOnSignals,
  InputError,
  isGitRef,
  listStacks,
  readStack,
  removeLeftovers,
  removeSynth,
  stacksDir,
  synthGitRef,
  synthWorkingTree,
} from '../shared/synth-dir';
import { parseCommandLine, usageError } from '../shared/usage';

const USAGE = 'usage: vividly-monitoring review --base <git ref|synth dir> [--head <git ref|synth dir>] [--out FILE]';

interface Side {
  dir: string;
  label: string;
  temporary: boolean;
}

async function resolveSide(option: string, value: string | undefined): Promise<Side> {
  if (value === undefined) return { dir: synthWorkingTree(), label: 'working tree', temporary: true };
  if (value.trim() === '') throw new InputError(`option --${option}: must not be empty`);
  if (fs.existsSync(value) && fs.statSync(value).isDirectory()) {
    stacksDir(value);
    return { dir: value, label: `\`${value}\``, temporary: false };
  }
  if (isGitRef(value)) return { dir: await synthGitRef(value), label: `\`${value}\``, temporary: true };
  throw new InputError(`option --${option}: "${value}" is neither a synth directory nor a git ref of this repository`);
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('review', USAGE, {
    args: argv,
    options: { base: { type: 'string' }, head: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: false,
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (values.base === undefined) return usageError('review', USAGE, 'option --base: required');
  const sides: Side[] = [];
  const stopCleaningOnSignals = cleanUpOnSignals();
  try {
    // Before the synths: a --out that cannot be written is one line, not a raw EISDIR/ENOENT after them.
    if (values.out !== undefined) checkOutputPath('out', values.out, 'file');
    removeLeftovers();
    const base = await resolveSide('base', values.base);
    sides.push(base);
    const head = await resolveSide('head', values.head);
    sides.push(head);
    const envs = [...new Set([...listStacks(base.dir), ...listStacks(head.dir)])];
    const has = (side: Side, env: string) => listStacks(side.dir).includes(env);
    const diffs = envs.map((env) =>
      diffEnvironment(env, has(base, env) ? readStack(base.dir, env) : undefined, has(head, env) ? readStack(head.dir, env) : undefined),
    );
    const markdown = reviewMarkdown(diffs, { base: base.label, head: head.label });
    if (values.out !== undefined) {
      // Written beside it and renamed into place: an interrupt never leaves half a comment.
      await writeOutputFile('out', values.out, `${markdown}\n`);
    }
    console.log(markdown);
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      console.error(`review: ${err.message.split('\n')[0]}`);
      return 2;
    }
    throw err;
  } finally {
    for (const side of sides) if (side.temporary) removeSynth(side.dir);
    stopCleaningOnSignals();
  }
}
