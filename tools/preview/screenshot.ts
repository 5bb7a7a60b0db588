/**
 * Screenshot of an environment's preview page for the README:
 *   node dist/tools/preview/screenshot.js [--env prod] [--synth-dir cdktf.out] [--out docs/preview-prod.png] [--window-size 1400,2200]
 * Writes the HTML page next to it first (from the synthesized stack), then lets headless Chromium draw it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runChromium } from './chromium';
import { writePreview } from './preview';
import { DEFAULT_SYNTH_DIR } from '../../stacks/synth-output';

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
    const html = writePreview(env, values['synth-dir'] as string, tmp);
    const png = await screenshot(html, values.out ?? path.join('docs', `preview-${env}.png`), values['window-size']);
    console.log(`screenshot: wrote ${png}`);
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
