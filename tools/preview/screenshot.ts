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
import { dashboardsOfStack, writePreview } from './preview';
import { DEFAULT_SYNTH_DIR, stackFile } from '../../stacks/synth-output';

/** The README's screenshot: prod during the 5xx storm. */
export const README_SCREENSHOT = { env: 'prod', png: path.join('docs', 'preview-prod.png'), scenario: path.join('scenarios', 'prod-5xx-storm.yaml'), windowSize: '1400,2200' };

/**
 * The hash of a preview picture's inputs: the environment's dashboards (parsed dashboard_json), the scenario file,
 * the preview's own code (tools/preview/{html,preview,scenario}.ts) and the window size. `root` holds tools/ and scenarios.
 */
export function previewInputsHash(root: string, synthDir: string, env: string, scenario: string | undefined, windowSize: string): string {
  const h = createHash('sha256');
  const stack = JSON.parse(fs.readFileSync(stackFile(synthDir, env), 'utf8')) as unknown;
  h.update(JSON.stringify(dashboardsOfStack(stack)));
  h.update(`\0scenario:${scenario ? fs.readFileSync(path.resolve(root, scenario), 'utf8') : ''}`);
  for (const f of ['html.ts', 'preview.ts', 'scenario.ts']) h.update(`\0${f}:${fs.readFileSync(path.join(root, 'tools', 'preview', f), 'utf8')}`);
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
