/**
 * `cost --env <env> [--traffic-multiplier N] [--json] [--synth-dir DIR] [--growth-table]`: the monitoring's monthly
 * bill for one environment from its synthesized resources and `env.traffic`: without --synth-dir, those of the project's
 * cdktf.out when it is fresh, else of a synth of the working tree (tools/shared/synth-dir.ts workingTreeSynth). Exit 2
 * on bad arguments or input.
 */
import { EnvironmentError, loadEnvironments } from '../../environments';
import { cleanUpOnSignals, InputError, interruptPoint, readStack, removeSynth, workingTreeSynth } from '../shared/synth-dir';
import { parseCommandLine, unknownEnvironment, usageError } from '../shared/usage';
import { estimateCost } from './estimate';
import { loadPrices } from './prices';
import { breakdownMarkdown, growthTableMarkdown } from './table';

/** A plain decimal, with an optional exponent (`2`, `0.5`, `.5`, `1e-3`, `2E+2`): not hex, not `Infinity`. */
const DECIMAL = /^\s*(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
/**
 * A million times the reference traffic: far past any what-if, and far below where the estimate's products overflow
 * (from about 1e200 they did: the bill printed as $NaN, exit 0).
 */
const MAX_MULTIPLIER = 1_000_000;

const USAGE = 'usage: vividly-monitoring cost --env dev|staging|prod [--traffic-multiplier N] [--json] [--synth-dir DIR] [--growth-table]';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('cost', USAGE, {
    args: argv,
    options: {
      env: { type: 'string' },
      'traffic-multiplier': { type: 'string' },
      json: { type: 'boolean' },
      'synth-dir': { type: 'string' },
      'growth-table': { type: 'boolean' },
    },
    allowPositionals: false,
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (!values.env) return usageError('cost', USAGE, 'option --env: required');
  const unknown = unknownEnvironment([values.env]);
  if (unknown) return usageError('cost', USAGE, unknown);
  const multiplierText = values['traffic-multiplier'] ?? '1';
  const multiplier = Number(multiplierText);
  if (!DECIMAL.test(multiplierText) || !(multiplier > 0 && multiplier <= MAX_MULTIPLIER)) {
    return usageError(
      'cost',
      USAGE,
      `option --traffic-multiplier: must be a number above 0 and at most ${MAX_MULTIPLIER.toLocaleString('en-US')} (got "${multiplierText}")`,
    );
  }
  let synthDir = values['synth-dir'];
  let fresh: string | undefined;
  // Ctrl-C during the synth of the working tree: its temporary directory is removed, as review's is.
  const stopCleaningOnSignals = cleanUpOnSignals('cost', 'temporary directories');
  try {
    const [env] = loadEnvironments([values.env]);
    if (!synthDir) {
      const synth = workingTreeSynth([env.name]);
      synthDir = synth.dir;
      if (synth.temporary) fresh = synth.dir;
      await interruptPoint(); // a signal during the (synchronous) synth ends the run here, before anything is printed
    }
    const stack = readStack(synthDir, env.name);
    const prices = loadPrices();
    if (values['growth-table']) {
      console.log(growthTableMarkdown(env, stack, prices));
      return 0;
    }
    const details = estimateCost({ env, stack, prices, multiplier });
    console.log(values.json ? JSON.stringify(details.report) : breakdownMarkdown(details));
    return 0;
  } catch (err) {
    if (err instanceof InputError || err instanceof EnvironmentError) {
      console.error(`cost: ${err.message.split('\n')[0]}`);
      return 2;
    }
    throw err;
  } finally {
    if (fresh) removeSynth(fresh);
    stopCleaningOnSignals();
  }
}
