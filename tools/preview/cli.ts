/**
 * `npm run preview -- --env <env> [--env <env> ...] [--synth-dir cdktf.out] [--out preview/] [--scenario FILE] [--json]`
 * Writes one static, self-contained HTML page per environment from its synthesized `dashboard_json`; with a scenario,
 * the charts show the simulator's series for it; `--json` prints the page's model instead of writing it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENVIRONMENT_NAMES } from '../../environments/schema';
import { renderPreviewHtml } from './html';
import { PreviewError, PreviewInputError, previewJson, previewModel } from './preview';
import { DEFAULT_SYNTH_DIR } from '../../stacks/synth-output';
import { checkOutputPath, commitOutputs, pendingOutput, type PendingOutput } from '../shared/output';
import { cleanUpOnSignals, InputError } from '../shared/synth-dir';
import { parseCommandLine, unknownEnvironment, usageError } from '../shared/usage';

const USAGE = `usage: vividly-monitoring preview --env <dev|staging|prod|all> [--env ...] [--synth-dir cdktf.out] [--out preview/] [--scenario FILE] [--json]
  --scenario FILE  fill every chart with the simulator's series for this scenario (scenarios/*.yaml); a scenario that
                   draws in no chart of the environment (another environment's) is a warning on stderr
  --json           print the pages' model (dashboards, simulated series) as JSON lines, one per environment; write nothing`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('preview', USAGE, {
    args: argv,
    options: {
      env: { type: 'string', multiple: true },
      'synth-dir': { type: 'string', default: DEFAULT_SYNTH_DIR },
      out: { type: 'string', default: 'preview' },
      scenario: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const requested = (values.env ?? []).flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean);
  if (requested.length === 0) return usageError('preview', USAGE, 'option --env: required');
  const unknown = unknownEnvironment(requested, ['all']);
  if (unknown) return usageError('preview', USAGE, unknown);
  const envs = requested.includes('all') ? [...ENVIRONMENT_NAMES] : [...new Set(requested)];
  if (!values['synth-dir']) return usageError('preview', USAGE, 'option --synth-dir: must not be empty');
  const outDir = values.out as string;
  let pages: PendingOutput | undefined;
  let stopCleaningOnSignals: (() => void) | undefined;
  try {
    // Before any work: an --out that cannot be a folder (a file, a parent that is a file) is one line, exit 2.
    if (!values.json) checkOutputPath('out', outDir, 'dir');
    const models = envs.map((env) => previewModel(env, values['synth-dir'] as string, values.scenario));
    // A scenario of another environment draws nothing: said on stderr as check-logs says it of its input.
    for (const { env, warnings } of models) {
      for (const note of warnings.notes) console.error(`preview: note: ${env}: ${note}`);
      if (warnings.warning) console.error(`preview: warning: ${env}: ${warnings.warning}`);
    }
    if (values.json) {
      for (const model of models) console.log(JSON.stringify(previewJson(model)));
      return 0;
    }
    // The pages are written beside --out and put in place together: an error or an interrupt leaves none of them.
    stopCleaningOnSignals = cleanUpOnSignals('preview', 'partial pages');
    pages = pendingOutput('out', outDir, 'dir');
    for (const m of models) fs.writeFileSync(path.join(pages.path, `${m.env}.html`), renderPreviewHtml(m.env, m.dashboards, m.source, m.scenario));
    await commitOutputs(pages);
    for (const m of models) console.log(`preview: wrote ${path.join(outDir, `${m.env}.html`)}`);
  } catch (err) {
    if (err instanceof InputError) {
      console.error(`preview: ${err.message}`);
      return 2;
    }
    if (err instanceof PreviewError) {
      console.error(`preview: ${err.message}`);
      return err instanceof PreviewInputError ? 2 : 1;
    }
    throw err;
  } finally {
    pages?.discard();
    stopCleaningOnSignals?.();
  }
  return 0;
}
