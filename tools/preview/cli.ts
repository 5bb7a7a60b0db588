/**
 * `npm run preview -- --env <env> [--env <env> ...] [--synth-dir cdktf.out] [--out preview/]`
 * Writes one static, self-contained HTML page per environment from its synthesized `dashboard_json`.
 */
import { parseArgs } from 'node:util';
import { ENVIRONMENT_NAMES } from '../../environments/schema';
import { PreviewError, writePreview } from './preview';
import { DEFAULT_SYNTH_DIR } from '../synth-output';

const USAGE = 'usage: vividly-monitoring preview --env <dev|staging|prod|all> [--env ...] [--synth-dir cdktf.out] [--out preview/]';

export async function run(argv: string[]): Promise<number> {
  let values: { env?: string[]; 'synth-dir'?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string', multiple: true },
        'synth-dir': { type: 'string', default: DEFAULT_SYNTH_DIR },
        out: { type: 'string', default: 'preview' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    console.error(`preview: ${(err as Error).message.split('\n')[0]} (${USAGE})`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const requested = (values.env ?? []).flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean);
  if (requested.length === 0) {
    console.error(`preview: --env is required (${USAGE})`);
    return 2;
  }
  const envs = requested.includes('all') ? [...ENVIRONMENT_NAMES] : [...new Set(requested)];
  const unknown = envs.filter((e) => !(ENVIRONMENT_NAMES as readonly string[]).includes(e));
  if (unknown.length) {
    console.error(`preview: unknown environment ${unknown.map((e) => `"${e}"`).join(', ')}: choose from ${ENVIRONMENT_NAMES.join(', ')} or all`);
    return 2;
  }
  for (const flag of ['synth-dir', 'out'] as const) {
    if (!values[flag]) {
      console.error(`preview: --${flag} must not be empty (${USAGE})`);
      return 2;
    }
  }
  try {
    for (const env of envs) console.log(`preview: wrote ${writePreview(env, values['synth-dir'] as string, values.out as string)}`);
  } catch (err) {
    if (err instanceof PreviewError) {
      console.error(`preview: ${err.message}`);
      return 1;
    }
    throw err;
  }
  return 0;
}
