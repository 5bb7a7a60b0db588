/**
 * `npm run simulate -- --env <env> SCENARIO...` / `--policy FILE SCENARIO...`
 *
 * Exit codes: 0 ok; 1 a scenario's expectations failed, or a policy could not be evaluated (its error is printed on
 * stderr, and kept as "error" in --json): nothing unsupported is ever silently passed; 2 bad input (one
 * `file: field: reason` line on stderr; a missing synth is one `simulate: ...` line worded as `preview` words it) or
 * a usage error (an unknown --env too: the message and the synopsis).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_CUSTOM_METRICS } from '../../catalog/known-metrics';
import { InputError } from '../../gcp/simulate/errors';
import { loadPolicyFile, PolicySet } from '../../gcp/simulate/policies';
import { renderPolicySvg, slug } from '../../gcp/simulate/plot';
import { formatMarkdownReport, formatTable, toJson } from '../../gcp/simulate/report';
import { loadScenarioFile } from '../../gcp/simulate/scenario';
import { simulateScenario } from '../../gcp/simulate/simulate';
import type { ScenarioResult } from '../../gcp/simulate/engine';
import { DEFAULT_SYNTH_DIR, stackFile } from '../../stacks/synth-output';
import { checkOutputPath, commitOutputs, pendingOutput, type PendingOutput } from '../shared/output';
import { cleanUpOnSignals, InputError as OutputPathError } from '../shared/synth-dir';
import { parseCommandLine, unknownEnvironment, usageError } from '../shared/usage';

const USAGE = `usage: vividly-monitoring simulate (--env ENV [--synth-dir DIR] | --policy FILE) [--json] [--plot DIR [--plot-history]] [--report FILE] SCENARIO...
       vividly-monitoring simulate test [--synth-dir DIR] [--json] FILE|DIR...   (alert tests; simulate test --help)

  --env ENV         read cdktf.out/stacks/ENV/cdk.tf.json
  --synth-dir DIR   directory holding stacks/ (default cdktf.out)
  --policy FILE     API-format AlertPolicy JSON, a list of them, or a cdk.tf.json (instead of --env)
  --json            print {"scenarios":[{"name","alerts":{"<display name>":{"fired","firstFiredAt","detectionSeconds"}}}]};
                    "firedBeforeIncident": true when an alert fired before the incident (a negative detectionSeconds),
                    "error" for a policy that cannot be evaluated, "disabled": true for an enabled: false one
  --plot DIR        write one SVG per scenario and alert, zoomed on the incident (into DIR, created if need be)
  --plot-history    draw the whole scenario in the plots instead (with --plot)
  --report FILE     write a markdown table of detection delays
SCENARIO files are JSON or YAML (gcp/simulate/README.md).
Exit: 0 ok, 1 an expectation failed or a policy could not be evaluated, 2 bad input.`;

export async function run(argv: string[]): Promise<number> {
  // `simulate test …`: promtool-style alert tests (alert-tests.ts).
  if (argv[0] === 'test') return (await import('./alert-tests-cli')).runTestCommand(argv.slice(1));
  const args = parseCommandLine('simulate', USAGE, {
    args: argv,
    allowPositionals: true,
    options: {
      env: { type: 'string' },
      'synth-dir': { type: 'string' },
      policy: { type: 'string' },
      json: { type: 'boolean', default: false },
      plot: { type: 'string' },
      'plot-history': { type: 'boolean', default: false },
      report: { type: 'string' },
    },
  });
  if (typeof args === 'number') return args;
  const o = args.values;
  const unknown = o.env === undefined ? undefined : unknownEnvironment([o.env]);
  if (unknown) return usageError('simulate', USAGE, unknown);
  if (!!o.env === !!o.policy) return usageError('simulate', USAGE, 'give exactly one of --env or --policy');
  if (args.positionals.length === 0) return usageError('simulate', USAGE, 'no scenario files: give one or more SCENARIO files');
  if (o['plot-history'] && o.plot === undefined)
    return usageError('simulate', USAGE, 'option --plot-history: needs --plot DIR (it draws the whole scenario in the plots)');
  if (o.env !== undefined) {
    const stack = stackFile(o['synth-dir'] ?? DEFAULT_SYNTH_DIR, o.env);
    if (!fs.existsSync(stack)) {
      console.error(
        `simulate: no synthesized stack for "${o.env}" at ${stack} (run \`npm run synth\` first${o['synth-dir'] === undefined ? '' : ', or pass the right --synth-dir'})`,
      );
      return 2;
    }
  }
  // The output paths, before the work: a bad one is one line, not a raw EISDIR after the results.
  try {
    if (o.plot !== undefined) checkOutputPath('plot', o.plot, 'dir');
    if (o.report !== undefined) checkOutputPath('report', o.report, 'file');
  } catch (e) {
    if (e instanceof OutputPathError) {
      console.error(`simulate: ${e.message}`);
      return 2;
    }
    throw e;
  }

  let results: ScenarioResult[];
  try {
    const policyFile = o.policy ?? stackFile(o['synth-dir'] ?? DEFAULT_SYNTH_DIR, o.env!);
    const set: PolicySet = loadPolicyFile(policyFile);
    // The app's custom metrics are this project's knowledge, not the library's.
    set.knownMetrics = { ...APP_CUSTOM_METRICS, ...set.knownMetrics };
    for (const n of set.notes) console.error(`note: ${n}`);
    if (set.policies.length === 0) console.error(`note: ${policyFile} holds no alert policies`);
    const scenarios = args.positionals.map(loadScenarioFile);
    results = scenarios.map((sc) => simulateScenario(set, sc));
  } catch (e) {
    if (e instanceof InputError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }

  if (o.json) console.log(JSON.stringify(toJson(results), null, 2));
  else console.log(results.map(formatTable).join('\n\n'));
  let unevaluable = 0;
  for (const r of results) {
    for (const p of r.policies) {
      if (p.error) {
        unevaluable++;
        console.error(`error: ${r.name}: ${p.error}`);
      }
      for (const n of p.notes) console.error(`note: ${p.displayName}: ${n}`);
    }
  }
  if (o.plot !== undefined || o.report !== undefined) {
    try {
      await writeOutputs(results, o.plot, o.report, o['plot-history']);
    } catch (e) {
      if (e instanceof OutputPathError) {
        console.error(`simulate: ${e.message}`);
        return 2;
      }
      throw e;
    }
  }
  if (unevaluable) console.error(`simulate: ${unevaluable} policy evaluation(s) failed (see the errors above): exit 1`);
  return unevaluable > 0 || results.some((r) => r.expectationFailures.length > 0) ? 1 : 0;
}

/**
 * `--plot DIR` and `--report FILE`, written beside their targets and put in place together at the end: an interrupt
 * (SIGINT, SIGTERM, SIGHUP: exit 130/143/129) or an error while they are written leaves neither, not a folder of some
 * of the plots.
 */
async function writeOutputs(results: ScenarioResult[], plot: string | undefined, report: string | undefined, history: boolean): Promise<void> {
  const stopCleaningOnSignals = cleanUpOnSignals('simulate', 'partial outputs');
  const outputs: PendingOutput[] = [];
  try {
    if (plot !== undefined) {
      const plots = pendingOutput('plot', plot, 'dir');
      outputs.push(plots);
      for (const r of results) {
        for (const p of r.policies) fs.writeFileSync(path.join(plots.path, `${slug(r.name)}--${slug(p.displayName)}.svg`), renderPolicySvg(r, p, { history }));
      }
    }
    if (report !== undefined) {
      const table = pendingOutput('report', report, 'file');
      outputs.push(table);
      fs.writeFileSync(table.path, formatMarkdownReport(results));
    }
    await commitOutputs(...outputs);
  } finally {
    for (const output of outputs) output.discard();
    stopCleaningOnSignals();
  }
}
