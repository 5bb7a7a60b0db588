/**
 * The tools' output paths (`--out`, `--plot`, `--report`): a file to write, or a folder to create or fill.
 *
 * - {@link checkOutputPath}, before any work: a path that cannot be written is one line naming the option, the path
 *   and the reason (an InputError: exit 2), not a raw EISDIR/ENOTDIR/EEXIST after minutes of work.
 * - {@link pendingOutput}: the output is written beside its target (`<name>.partial-<pid>-<n>`, in the target's
 *   nearest existing folder, so on the same file system; inside a folder that exists, `.partial-<pid>-<n>`; for a
 *   device, in the temporary directory) and {@link commitOutputs} puts it in place in one synchronous step at the
 *   end: a rename, or for a folder that exists, a rename of each new entry into it (its other files stay). Node runs signal handlers only between event-loop turns, so with cleanUpOnSignals installed an
 *   interrupt removes the partial output and never lands in the middle of a commit; what a SIGKILL left is removed by
 *   the next output to the same place (its pid no longer runs). Nothing is ever half-written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alive } from '../../stacks/synth-output';
import { InputError, interruptPoint, removeTemporary, trackTemporary } from './synth-dir';

/** A file to write, or a folder to create (or fill, when it exists). */
export type OutputKind = 'file' | 'dir';

const statOf = (p: string): fs.Stats | undefined => {
  try {
    return fs.statSync(p);
  } catch {
    return undefined; // missing, or a parent is not a folder
  }
};

/** The nearest folder (or file, when the path runs through one) of `p`'s parents that exists. */
function nearestExisting(p: string): string {
  let at = path.dirname(p);
  while (!statOf(at)) at = path.dirname(at);
  return at;
}

/**
 * Checks, before any work, that `target` (the value of `--<option>`) can be written as a `kind`: not empty, not a
 * folder where a file is written (nor a file where a folder is), no parent that is a file, and a folder that may be
 * written in where the output is made. Missing parent folders are fine (they are created when the output is put in
 * place). Throws an InputError `option --<option>: <target>: <reason>`.
 */
export function checkOutputPath(option: string, target: string, kind: OutputKind): void {
  if (target.trim() === '') throw new InputError(`option --${option}: must not be empty`);
  const fail = (reason: string) => new InputError(`option --${option}: ${target}: ${reason}`);
  const shown = (p: string) => (path.isAbsolute(target) ? p : path.relative(process.cwd(), p) || '.');
  const abs = path.resolve(target);
  const st = statOf(abs);
  if (st && kind === 'file' && st.isDirectory()) throw fail('is a directory (a file is written there)');
  if (st && kind === 'dir' && !st.isDirectory()) throw fail('exists and is not a directory');
  const parent = nearestExisting(abs);
  if (!statOf(parent)!.isDirectory()) throw fail(`${shown(parent)} is not a directory`);
  // What must be writable: a device such as /dev/null itself (written as it is), a folder that exists itself (the
  // output is made inside it), else the folder the output is made in and renamed into place from.
  const special = st && !st.isFile() && !st.isDirectory();
  for (const dir of special || (st && kind === 'dir') ? [abs] : [parent]) {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      throw fail(`cannot write ${dir === abs ? 'it' : `in ${shown(dir)}`} (permission denied)`);
    }
  }
}

/** An output being written beside its target: fill {@link PendingOutput.path}, then {@link commitOutputs}. */
export interface PendingOutput {
  /** Where to write now: the file, or the folder to fill. */
  readonly path: string;
  /** Throws an InputError when the output cannot be put in place (what is there changed since the check). */
  verify(): void;
  /** Puts the output in place (synchronously). */
  commit(): void;
  /** Removes what was written (nothing is put in place). */
  discard(): void;
}

let partials = 0;

/** Removes `<base>.partial-<pid>-<n>` entries of `dir` whose process no longer runs (a SIGKILL's leftovers). */
function removeStalePartials(dir: string, base: string): void {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}\\.partial-(\\d+)-\\d+$`);
  for (const name of fs.readdirSync(dir)) {
    const m = pattern.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/** The first entry of `from` (a folder) that cannot be moved into `to`: a file where a folder is, or the reverse. */
function conflict(from: string, to: string): string | undefined {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const there = statOf(path.join(to, e.name));
    if (!there) continue;
    if (e.isDirectory() !== there.isDirectory()) return `${path.join(to, e.name)} ${there.isDirectory() ? 'is a directory' : 'exists and is not a directory'}`;
    if (e.isDirectory()) {
      const inner = conflict(path.join(from, e.name), path.join(to, e.name));
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Renames each entry of `from` into `to` (a folder that exists), merging folders that exist on both sides. */
function moveInto(from: string, to: string): void {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, e.name);
    const dest = path.join(to, e.name);
    if (e.isDirectory() && statOf(dest)?.isDirectory()) moveInto(source, dest);
    else fs.renameSync(source, dest);
  }
}

/**
 * Starts writing `target` (checked with {@link checkOutputPath} first) beside it. The partial output is registered
 * with the temporary files: removed on SIGINT/SIGTERM/SIGHUP while cleanUpOnSignals is installed.
 */
export function pendingOutput(option: string, target: string, kind: OutputKind): PendingOutput {
  const abs = path.resolve(target);
  const st = statOf(abs);
  // A device or a pipe (/dev/null, /dev/stdout) is written as it is: nothing can be made beside it in /dev, and
  // /dev/stdout on a pipe has no real path. A symbolic link is followed: what it points to is replaced (or filled).
  const special = st !== undefined && !st.isFile() && !st.isDirectory();
  const dest = st && !special ? fs.realpathSync(abs) : abs;
  // Where the output is made, on its target's file system: a folder that exists is filled from inside itself (its
  // parent need not be writable, and a mount point is no other file system); a device's output waits in the
  // temporary directory; anything else is made beside its target.
  const inside = st?.isDirectory() === true && kind === 'dir';
  const home = special ? os.tmpdir() : inside ? dest : st ? path.dirname(dest) : nearestExisting(abs);
  const base = inside ? '' : path.basename(dest);
  removeStalePartials(home, base);
  const partial = path.join(home, `${base}.partial-${process.pid}-${++partials}`);
  fs.rmSync(partial, { recursive: true, force: true });
  trackTemporary(partial);
  if (kind === 'dir') fs.mkdirSync(partial);
  const discard = () => removeTemporary(partial);
  const verify = () => {
    const now = statOf(dest);
    const clash =
      kind === 'file'
        ? now?.isDirectory() && 'is a directory (a file is written there)'
        : now && (now.isDirectory() ? conflict(partial, dest) : 'exists and is not a directory');
    if (clash) throw new InputError(`option --${option}: ${target}: ${clash}`);
  };
  const commit = () => {
    const now = statOf(dest);
    if (kind === 'file' && now && !now.isFile()) {
      // A device or a pipe (/dev/null, /dev/stdout): written as it is, never replaced.
      fs.writeFileSync(dest, fs.readFileSync(partial));
    } else if (kind === 'dir' && now) {
      moveInto(partial, dest);
    } else {
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.renameSync(partial, dest);
    }
    removeTemporary(partial);
  };
  return { path: partial, verify, commit, discard };
}

/**
 * Puts outputs in place together: first lets a pending signal's handler run (a signal received while they were
 * written stops the tool here, and the partial outputs are removed), then verifies every one and commits them all in
 * one synchronous step. A failed verification commits none.
 */
export async function commitOutputs(...outputs: PendingOutput[]): Promise<void> {
  await interruptPoint();
  for (const output of outputs) output.verify();
  for (const output of outputs) output.commit();
}

/** Writes one file output whole: made beside `target`, put in place, or (on an error or a signal) removed. */
export async function writeOutputFile(option: string, target: string, text: string): Promise<void> {
  const out = pendingOutput(option, target, 'file');
  try {
    fs.writeFileSync(out.path, text);
    await commitOutputs(out);
  } finally {
    out.discard();
  }
}
