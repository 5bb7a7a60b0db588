/** git for tests that build small repositories of their own, and the pid of a process that has exited. */
import { spawnSync } from 'node:child_process';

const AS_TEST_AUTHOR = ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false'];

/** Runs git in `repo` as a test author (no user config needed, no signing); throws naming the command when it fails. */
export function git(repo: string, ...args: string[]): string {
  const r = spawnSync('git', [...AS_TEST_AUTHOR, ...args], { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The exit status of git in `repo`, for a command a test expects to fail. */
export function gitStatus(repo: string, ...args: string[]): number | null {
  return spawnSync('git', [...AS_TEST_AUTHOR, ...args], { cwd: repo, encoding: 'utf8' }).status;
}

/** The pid of a process that has exited: what a SIGKILLed process leaves in its lock or temporary folder's name. */
export const deadPid = (): string => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
