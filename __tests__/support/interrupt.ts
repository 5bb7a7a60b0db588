/**
 * A tool run as a user runs it, to be interrupted: the compiled CLI (`dist/tools/cli.js`, built by jest's global setup)
 * in a child process of its own, with its own TMPDIR, and a wait on files (no fixed delays) for the moment to stop it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
export const compiledCli = path.join(root, 'dist', 'tools', 'cli.js');

export interface ToolResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `vividly-monitoring <args>` in the project's root (or `cwd`) with TMPDIR `tmpdir`. In its own process group:
 * a SIGKILL of the group is what a terminal's kill does to the tool and its children.
 */
export function startTool(args: string[], options: { tmpdir: string; cwd?: string }): { child: ChildProcess; done: Promise<ToolResult> } {
  const child = spawn(process.execPath, [compiledCli, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, TMPDIR: options.tmpdir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const done = new Promise<ToolResult>((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Resolves as soon as `seen()` holds (polled every 10 ms; a file test, no process), or once the child has exited. */
export async function until(child: ChildProcess, seen: () => boolean): Promise<void> {
  while (!seen() && child.exitCode === null && child.signalCode === null) await new Promise((r) => setTimeout(r, 10));
}

/**
 * Runs `vividly-monitoring <args>` (given the TMPDIR of its own it runs with, and run in it with `inTmpdir`), sends it
 * `signal` as soon as an entry whose name starts with `startedWith` appears in that TMPDIR (the work under test has
 * begun), and resolves to its result and whatever it left there (the directory is removed afterwards).
 */
export async function interruptTool(
  args: (tmpdir: string) => string[],
  signal: NodeJS.Signals,
  startedWith: string,
  { inTmpdir = false } = {},
): Promise<{ result: ToolResult; left: string[] }> {
  const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'interrupted-tool-'));
  try {
    const { child, done } = startTool(args(tmpdir), { tmpdir, cwd: inTmpdir ? tmpdir : undefined });
    await until(child, () => fs.readdirSync(tmpdir).some((n) => n.startsWith(startedWith)));
    child.kill(signal);
    const result = await done;
    return { result, left: fs.readdirSync(tmpdir) };
  } finally {
    fs.rmSync(tmpdir, { recursive: true, force: true });
  }
}
