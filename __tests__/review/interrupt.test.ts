/**
 * Issue 15: an interrupted review leaves no registered git worktree and no temporary directory (SIGINT/SIGTERM are
 * cleaned up at once, a SIGKILL's leftovers by the next review), and a review from a stale dist/ refuses instead of
 * reporting the last build as the working tree.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeLeftovers } from '../../tools/shared/synth-dir';
import { deadPid, git, gitStatus } from '../support/git';
import { compiledCli as cli, startTool, until } from '../support/interrupt';
import { synthDir } from '../support/synth';

const root = path.resolve(__dirname, '..', '..');

/** Worktrees of `repo` (this project's, unless given) that live below `dir`. */
const worktreesBelow = (dir: string, repo = root) =>
  spawnSync('git', ['worktree', 'list', '--porcelain'], { cwd: repo, encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.startsWith('worktree ') && [dir, fs.realpathSync.native(dir)].some((d) => l.slice(9).startsWith(`${d}/`)));

/** A review in a child process of its own (its own process group) with TMPDIR `tmpdir`. */
const review = (tmpdir: string, args: string[]) => startTool(['review', ...args], { tmpdir });

/**
 * Whether a review's worktree exists below `tmpdir` and git lists it: its `.git` file names its entry in the
 * repository's .git/worktrees, and that entry has its `commondir`, which `git worktree add` writes last (before it,
 * under load, `git worktree list` did not show the worktree yet). File tests, not a `git worktree list` process every
 * few milliseconds.
 */
const worktreeMade = (tmpdir: string) =>
  fs
    .readdirSync(tmpdir)
    .filter((n) => n.startsWith('vividly-review-worktree-'))
    .some((n) => {
      try {
        const entry = /^gitdir: (.+)$/m.exec(fs.readFileSync(path.join(tmpdir, n, 'worktree', '.git'), 'utf8'))?.[1];
        return entry !== undefined && fs.existsSync(path.join(path.resolve(tmpdir, n, 'worktree', entry), 'commondir'));
      } catch {
        return false; // not written yet, or removed meanwhile
      }
    });

/** Resolves as soon as a review's worktree exists below `tmpdir` (or after 60 s without one). */
async function untilWorktree(tmpdir: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!worktreeMade(tmpdir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/** Whether a review's temporary folder `<tmpdir>/<prefix>…` holds an entry that passes `test`. */
const reviewFolderHas = (tmpdir: string, prefix: string, test: (entry: string) => boolean) =>
  fs
    .readdirSync(tmpdir)
    .filter((n) => n.startsWith(prefix))
    .some((n) => {
      try {
        return fs.readdirSync(path.join(tmpdir, n)).some(test);
      } catch {
        return false; // removed meanwhile
      }
    });

describe('an interrupted review', () => {
  it('removes its worktrees and temporary directories on SIGTERM and SIGINT, whenever it is stopped', async () => {
    const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-kill-'));
    const seen: string[] = [];
    // Stop points: early (before the review starts its work), as soon as its worktree exists, while it compiles in
    // it and while the compiled app synthesizes (a child process the review must stop). Waiting for each step's
    // first file (not fixed delays of 0.6 and 1.5 s) lands the kills in those steps on any machine, and no later than
    // needed: the worktree's dist/ (swc writes there first), the child's partial synth directory.
    const compiling = () =>
      fs.readdirSync(tmpdir).some((n) => n.startsWith('vividly-review-worktree-') && fs.existsSync(path.join(tmpdir, n, 'worktree', 'dist')));
    const synthesizing = () => reviewFolderHas(tmpdir, 'vividly-review-synth-', (n) => n.startsWith('cdktf.out.partial-'));
    const stops: Array<{ name: string; signal: NodeJS.Signals; wait: (child: ReturnType<typeof review>['child']) => Promise<void> }> = [
      { name: 'early', signal: 'SIGTERM', wait: () => new Promise((r) => setTimeout(r, 150)) },
      { name: 'worktree just made', signal: 'SIGINT', wait: () => untilWorktree(tmpdir) },
      { name: 'compiling in the worktree', signal: 'SIGTERM', wait: (child) => until(child, compiling) },
      { name: 'synthesizing in a child process', signal: 'SIGINT', wait: (child) => until(child, synthesizing) },
    ];
    for (const stop of stops) {
      const { child, done } = review(tmpdir, ['--base', 'HEAD', '--head', 'HEAD']);
      await stop.wait(child);
      const signal = stop.signal;
      child.kill(signal);
      const result = await done;
      seen.push(result.signal ? 'killed before starting' : result.code === 0 ? 'finished' : `interrupted (${result.code})`);
      if (result.code === 130 || result.code === 143)
        expect(result.stderr).toContain(`review: interrupted (${signal}); temporary worktrees and directories removed`);
      expect({ stop: stop.name, left: fs.readdirSync(tmpdir), worktrees: worktreesBelow(tmpdir) }).toEqual({ stop: stop.name, left: [], worktrees: [] });
    }
    // The kills landed while a worktree existed, not only before or after the run: the compiling and synthesizing
    // reviews were stopped by their handlers (SIGTERM 143, SIGINT 130).
    expect(seen.some((s) => s.startsWith('interrupted'))).toBe(true);
    expect(seen.slice(2)).toEqual(['interrupted (143)', 'interrupted (130)']);
    fs.rmSync(tmpdir, { recursive: true, force: true });
  }, 180_000);

  it('after a SIGKILL, the next review removes the worktree and directories left behind', async () => {
    const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-kill9-'));
    // Killed without a chance to clean up the moment its worktree exists, nothing run in between. A `git worktree list`
    // there once found no worktree (one of a benchmark's 12 suites on the loaded 2-core machine): most likely a slow
    // worker gave the review time to finish with its worktree and remove it. Should the kill still land after that, the
    // state this test is about never happened, and it is made again (3 tries at most).
    for (let attempt = 1; attempt <= 3; attempt++) {
      const { child, done } = review(tmpdir, ['--base', 'HEAD', '--head', 'HEAD']);
      await untilWorktree(tmpdir);
      process.kill(-child.pid!, 'SIGKILL');
      await done;
      if (worktreesBelow(tmpdir).length > 0) break;
    }
    expect(worktreesBelow(tmpdir)).toHaveLength(1);
    expect(fs.readdirSync(tmpdir).length).toBeGreaterThan(0);
    const next = spawnSync(process.execPath, [cli, 'review', '--base', synthDir(), '--head', synthDir()], {
      cwd: root,
      env: { ...process.env, TMPDIR: tmpdir },
      encoding: 'utf8',
    });
    expect(next.status).toBe(0);
    expect({ left: fs.readdirSync(tmpdir), worktrees: worktreesBelow(tmpdir) }).toEqual({ left: [], worktrees: [] });
    fs.rmSync(tmpdir, { recursive: true, force: true });
  }, 120_000);

  it('a worktree whose `git worktree add` was killed before it was whole is unregistered too, not left locked', () => {
    // The moment the test above sometimes hit (its kill lands as soon as the worktree's .git file exists): git has
    // written the lock ("initializing"), gitdir, HEAD and the .git file, not yet commondir. `git worktree remove
    // --force --force` then fails git's validation, and the worktree stayed listed for good. Built here on purpose: a
    // whole worktree, then commondir removed and the lock put back.
    withLeftoverWorktree('half-added', (repo, tmpdir, left) => {
      const admin = path.join(repo, '.git', 'worktrees', 'worktree');
      fs.rmSync(path.join(admin, 'commondir'));
      fs.writeFileSync(path.join(admin, 'locked'), 'initializing\n');
      expect(gitStatus(repo, 'worktree', 'remove', '--force', '--force', path.join(left, 'worktree'))).not.toBe(0);
      expect(worktreesBelow(tmpdir, repo)).toHaveLength(1);
      expect(removeLeftovers(repo, tmpdir)).toEqual([left]);
      expect({ left: fs.readdirSync(tmpdir), worktrees: worktreesBelow(tmpdir, repo) }).toEqual({ left: [], worktrees: [] });
    });
  });

  it("cleaning up never touches another review's `git worktree add` in progress (no `git worktree prune`)", () => {
    // The state an add is in for a moment: its entry made, its lock and gitdir not yet written. `git worktree prune`
    // deletes such an entry, and the add then fails ("could not open .git/worktrees/worktree/gitdir"): the suite's
    // reviews in two workers broke each other now and then, as two reviews of one repository would.
    withLeftoverWorktree('add-in-progress', (repo, tmpdir, left) => {
      fs.mkdirSync(path.join(repo, '.git', 'worktrees', 'worktree1'));
      expect(removeLeftovers(repo, tmpdir)).toEqual([left]);
      expect(fs.readdirSync(path.join(repo, '.git', 'worktrees'))).toEqual(['worktree1']);
    });
  });

  it("unregisters a killed review's worktree whose folder is already gone, and never a live review's", () => {
    // The folder deleted by a review of another clone, or a /tmp cleared at boot: git still lists the worktree.
    withLeftoverWorktree('folder-gone', (repo, tmpdir, left) => {
      const live = path.join(tmpdir, `vividly-review-worktree-${process.ppid}-Live12`);
      expect(gitStatus(repo, 'worktree', 'add', '--quiet', '--detach', path.join(live, 'worktree'), 'HEAD')).toBe(0);
      fs.rmSync(left, { recursive: true });
      fs.rmSync(live, { recursive: true });
      expect(worktreesBelow(tmpdir, repo)).toHaveLength(2);
      expect(removeLeftovers(repo, tmpdir)).toEqual([]);
      expect(worktreesBelow(tmpdir, repo)).toEqual([`worktree ${fs.realpathSync(tmpdir)}/vividly-review-worktree-${process.ppid}-Live12/worktree`]);
    });
  });

  it("unregisters a killed review's worktree of another clone from that clone's list (its .git file names the entry)", () => {
    withLeftoverWorktree('other-clone', (repo, tmpdir, left) => {
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'other-clone-'));
      try {
        git(other, 'init', '--quiet');
        expect(removeLeftovers(other, tmpdir)).toEqual([left]);
        expect(git(repo, 'worktree', 'list', '--porcelain')).not.toContain(tmpdir);
      } finally {
        fs.rmSync(other, { recursive: true, force: true });
      }
    });
  });
});

/**
 * Runs `body` with a repository of its own (one commit) and, in a temporary folder `tmpdir`, the whole worktree of a
 * review killed outright (`left`, named with a dead pid, its worktree in `left/worktree`); removes both after.
 */
function withLeftoverWorktree(prefix: string, body: (repo: string, tmpdir: string, left: string) => void): void {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-repo-`));
  const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-tmp-`));
  try {
    git(repo, 'init', '--quiet');
    fs.writeFileSync(path.join(repo, 'a.txt'), 'a\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'one');
    const left = path.join(tmpdir, `vividly-review-worktree-${deadPid()}-AbC123`);
    expect(gitStatus(repo, 'worktree', 'add', '--quiet', '--detach', path.join(left, 'worktree'), 'HEAD')).toBe(0);
    body(repo, tmpdir, left);
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(tmpdir, { recursive: true, force: true });
  }
}

describe('review from a stale dist/', () => {
  it('refuses to review the working tree through a build older than a source, naming it, or through a failed build (exit 2), and reviews once built', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stale-dist-'));
    for (const e of fs.readdirSync(root)) {
      if (['node_modules', 'dist', '.git', '__tests__'].includes(e) || e.startsWith('cdktf.out')) continue;
      fs.cpSync(path.join(root, e), path.join(dir, e), { recursive: true });
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    fs.cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
    const later = Date.now() / 1000 + 60;
    fs.utimesSync(path.join(dir, 'environments', 'prod.ts'), later, later);
    const run = () => spawnSync(process.execPath, [path.join(dir, 'dist', 'tools', 'cli.js'), 'review', '--base', synthDir()], { cwd: dir, encoding: 'utf8' });
    const stale = run();
    expect({ status: stale.status, stdout: stale.stdout }).toEqual({ status: 2, stdout: '' });
    expect(stale.stderr.trim().split('\n')).toEqual([
      `review: ${path.join('environments', 'prod.ts')} is newer than dist/: the working tree would be read as last built. Run the npm script (it builds first) or \`npm run build\`, then try again`,
    ]);
    // A good build of that edit (its stamp records when it started), then one since, which failed: tsc rewrote
    // .tsbuildinfo (and dist/), but no stamp records a success.
    const stamp = path.join(dir, 'dist', '.build-stamp');
    fs.writeFileSync(stamp, `${Math.round((later + 0.5) * 1000)}\n`);
    fs.utimesSync(stamp, later + 0.5, later + 0.5);
    fs.utimesSync(path.join(dir, 'dist', '.tsbuildinfo'), later + 1, later + 1);
    const failed = run();
    expect({ status: failed.status, stdout: failed.stdout }).toEqual({ status: 2, stdout: '' });
    expect(failed.stderr).toMatch(
      /^review: dist\/ was built since its last recorded success \(dist\/\.tsbuildinfo is newer than dist\/\.build-stamp\): the working tree would be read/,
    );
    // A good build: its stamp written after tsc.
    fs.utimesSync(stamp, later + 2, later + 2);
    const fresh = run();
    expect({ status: fresh.status, stderr: fresh.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fresh.stdout).toMatch(/^No monitoring changes between/);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
