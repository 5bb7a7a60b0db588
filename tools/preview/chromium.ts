/** Headless Chromium for the preview's README screenshot and the browser tests (Debian's `chromium` package). */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser binary: $CHROMIUM_PATH, else chromium/chromium-browser/google-chrome on $PATH, else the usual paths. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of CANDIDATES.map((c) => path.basename(c))) {
    for (const dir of dirs) if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return CANDIDATES.find((p) => fs.existsSync(p));
}

export const HEADLESS_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--hide-scrollbars',
];

export interface ChromiumRun {
  stdout: string;
  stderr: string;
}

/** Runs headless Chromium on a local HTML file with extra flags, in a throw-away profile. */
export function runChromium(htmlFile: string, extraFlags: string[], options: { timeoutMs?: number; binary?: string } = {}): Promise<ChromiumRun> {
  const binary = options.binary ?? findChromium();
  if (!binary) return Promise.reject(new Error('chromium not found (install Debian package "chromium" or set CHROMIUM_PATH)'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-chromium-'));
  const args = [...HEADLESS_FLAGS, `--user-data-dir=${profile}`, ...extraFlags, pathToFileURL(path.resolve(htmlFile)).href];
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      fs.rmSync(profile, { recursive: true, force: true });
      if (err) reject(new Error(`chromium failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** What a preview page's own script writes into its #layout-check once laid out (tools/preview/html.ts). */
export interface LayoutCheck {
  ok: boolean;
  dashboards: Array<{
    id: string;
    expectedTiles: number;
    drawnTiles: number;
    problems: string[];
    tiles: Array<{
      title: string;
      grid: { x: number; y: number; w: number; h: number };
      rect: { left: number; top: number; width: number; height: number };
      /** How many text labels of its chart (y-axis label, peak, threshold labels, notes) were checked for overlaps. */
      labels: number;
    }>;
  }>;
}
