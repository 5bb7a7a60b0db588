/**
 * Screenshot of an environment's preview page for the README:
 *   node dist/tools/preview/screenshot.js [--env prod] [--synth-dir cdktf.out] [--out docs/preview-prod.png]
 *     [--scenario scenarios/prod-5xx-storm.yaml] [--window-size 1400,2200]
 * Writes the HTML page next to it first (from the synthesized stack), then lets headless Chromium draw it, and
 * stores beside the PNG (`<png>.inputs`) the hash of what the picture is drawn from, so a test can tell it is stale.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runChromium } from './chromium';
import { writePreview } from './preview';
import { compileSource, loadSwcCore, requiredSources } from '../shared/synth-dir';
import { DEFAULT_SYNTH_DIR, stackFile } from '../../stacks/synth-output';

/** The README's screenshot: prod during the 5xx storm. */
export const README_SCREENSHOT = { env: 'prod', png: path.join('docs', 'preview-prod.png'), scenario: path.join('scenarios', 'prod-5xx-storm.yaml'), windowSize: '1400,2200' };

/** The folders of the code that turns a stack and a scenario into the page (catalog/, constructs/, environments/ and stacks/ reach it only through the synthesized stack, hashed whole). */
const PREVIEW_CODE_DIRS = ['gcp', 'tools'];
/** The program that draws the picture: it and what it loads. */
const SCREENSHOT_ENTRY = path.join('tools', 'preview', 'screenshot.ts');

/**
 * The sources of `root` (relative paths) the screenshot tool loads under gcp/ and tools/: derived from its code's
 * relative requires (compiled with @swc/core, so type-only imports count for nothing), not listed by hand.
 */
export function previewSources(root: string): string[] {
  const swc = loadSwcCore();
  if (!swc) throw new Error('@swc/core cannot be loaded: it lists the sources the preview loads (npm ci installs it)');
  return requiredSources(
    root,
    SCREENSHOT_ENTRY,
    (rel) => compileSource(root, rel, swc, root),
    (rel) => PREVIEW_CODE_DIRS.includes(rel.split(path.sep)[0]),
  );
}

/**
 * The hash of a preview picture's inputs: the environment's synthesized stack (its dashboards, and the alert policies,
 * log-based metrics and SLOs the simulator reads), the scenario file, every source the preview loads under gcp/ and
 * tools/ (previewSources: the simulator's included) and the window size. `root` holds those sources and the scenario.
 */
export function previewInputsHash(root: string, synthDir: string, env: string, scenario: string | undefined, windowSize: string): string {
  const h = createHash('sha256');
  h.update(`stack:${fs.readFileSync(stackFile(synthDir, env), 'utf8')}`);
  h.update(`\0scenario:${scenario ? fs.readFileSync(path.resolve(root, scenario), 'utf8') : ''}`);
  for (const f of previewSources(root)) h.update(`\0${f.split(path.sep).join('/')}:${fs.readFileSync(path.join(root, f), 'utf8')}`);
  h.update(`\0window:${windowSize}`);
  return h.digest('hex');
}

export async function screenshot(htmlFile: string, pngFile: string, windowSize = '1400,2200'): Promise<string> {
  fs.mkdirSync(path.dirname(path.resolve(pngFile)), { recursive: true });
  await runChromium(htmlFile, [`--window-size=${windowSize}`, `--screenshot=${path.resolve(pngFile)}`]);
  if (!fs.existsSync(pngFile)) throw new Error(`chromium wrote no screenshot at ${pngFile}`);
  return pngFile;
}

export async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string', default: 'prod' },
        'synth-dir': { type: 'string', default: DEFAULT_SYNTH_DIR },
        out: { type: 'string' },
        'window-size': { type: 'string', default: '1400,2200' },
        scenario: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`screenshot: ${(err as Error).message.split('\n')[0]}`);
    return 2;
  }
  const env = values.env as string;
  if (!/^[0-9]+,[0-9]+$/.test(values['window-size'] as string)) {
    console.error('screenshot: --window-size must be WIDTH,HEIGHT (e.g. 1400,2200)');
    return 2;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-'));
  try {
    const html = writePreview(env, values['synth-dir'] as string, tmp, values.scenario);
    const png = await screenshot(html, values.out ?? path.join('docs', `preview-${env}.png`), values['window-size']);
    const hash = previewInputsHash(process.cwd(), values['synth-dir'] as string, env, values.scenario, values['window-size'] as string);
    fs.writeFileSync(`${png}.inputs`, `${hash}\n`);
    console.log(`screenshot: wrote ${png} and ${png}.inputs`);
    return 0;
  } catch (err) {
    console.error(`screenshot: ${(err as Error).message}`);
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
