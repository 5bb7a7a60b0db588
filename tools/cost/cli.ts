/**
 * `cost --env <env> [--traffic-multiplier N] [--json] [--synth-dir DIR] [--growth-table]`: the monitoring's monthly
 * bill for one environment from its synthesized resources and `env.traffic`. Exit 2 on bad arguments or input.
 */
import { parseArgs } from 'node:util';
import { EnvironmentError, loadEnvironments } from '../../environments';
import { cleanUpOnSignals, InputError, interruptPoint, readStack, removeSynth, synthWorkingTree } from '../shared/synth-dir';
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
  let values: { env?: string; 'traffic-multiplier'?: string; json?: boolean; 'synth-dir'?: string; 'growth-table'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string' },
        'traffic-multiplier': { type: 'string' },
        json: { type: 'boolean' },
        'synth-dir': { type: 'string' },
        'growth-table': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`cost: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.env) {
    console.error(`cost: option --env: required\n${USAGE}`);
    return 2;
  }
  const multiplierText = values['traffic-multiplier'] ?? '1';
  const multiplier = Number(multiplierText);
  if (!DECIMAL.test(multiplierText) || !(multiplier > 0 && multiplier <= MAX_MULTIPLIER)) {
    console.error(
      `cost: option --traffic-multiplier: must be a number above 0 and at most ${MAX_MULTIPLIER.toLocaleString('en-US')} (got "${multiplierText}")`,
    );
    return 2;
  }
  let synthDir = values['synth-dir'];
  let fresh: string | undefined;
  // Ctrl-C during the synth of the working tree: its temporary directory is removed, as review's is.
  const stopCleaningOnSignals = cleanUpOnSignals('cost', 'temporary directories');
  try {
    const [env] = loadEnvironments([values.env]);
    if (!synthDir) {
      synthDir = fresh = synthWorkingTree([env.name]);
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
