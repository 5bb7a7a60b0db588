/**
 * `npm run simulate -- test [--synth-dir DIR] [--json] FILE|DIR...`: run alert tests (alert-tests.ts) against the
 * synthesized policies of each test's `env` (`<synth-dir>/stacks/<env>/cdk.tf.json`).
 *
 * Exit codes: 0 every test passed; 1 a test failed (expected vs actual sets printed) or a policy could not be
 * evaluated; 2 bad input (one `file: field: reason` line on stderr).
 */
import * as fs from 'node:fs';
import { DEFAULT_SYNTH_DIR, stackFile } from '../../stacks/synth-output';
import { AlertTest, AlertTestResult, collectAlertTestFiles, formatAlertTestResult, loadAlertTestFile, runAlertTest } from '../../gcp/simulate/alert-tests';
import { InputError } from '../../gcp/simulate/errors';
import { loadPolicyFile, PolicySet } from '../../gcp/simulate/policies';
import { parseCommandLine, usageError } from '../shared/usage';

const USAGE = `usage: vividly-monitoring simulate test [--synth-dir DIR] [--json] FILE|DIR...

  Alert tests (gcp/simulate/README.md, "Alert tests"): each scenario asserts the exact set of open incidents at
  named times against the synthesized policies of its env (<synth-dir>/stacks/<env>/cdk.tf.json).
  --synth-dir DIR   directory holding stacks/ (default cdktf.out)
  --json            print {"tests":[{"file","scenario","env","ok","failures":[...]}]}
Directories are searched for *.yaml/*.yml (fragment files and fragments/ directories skipped).
Exit: 0 all passed, 1 a test failed, 2 bad input.`;

/** Load every test of `files` and run it against `policies(env)`. InputErrors propagate. */
export function runAlertTestFiles(files: string[], policies: (env: string) => PolicySet): AlertTestResult[] {
  const tests: AlertTest[] = files.flatMap(loadAlertTestFile);
  return tests.map((t) => runAlertTest(t, policies(t.env)));
}

export async function runTestCommand(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  const args = parseCommandLine(
    'simulate test',
    USAGE,
    { args: argv, allowPositionals: true, options: { 'synth-dir': { type: 'string' }, json: { type: 'boolean', default: false } } },
    { out, err },
  );
  if (typeof args === 'number') return args;
  if (args.positionals.length === 0) return usageError('simulate test', USAGE, 'no test files or directories: give one or more FILE|DIR', { err });
  const synthDir = args.values['synth-dir'] ?? DEFAULT_SYNTH_DIR;
  const sets = new Map<string, PolicySet>();
  const policies = (env: string): PolicySet => {
    if (!sets.has(env)) {
      const file = stackFile(synthDir, env);
      if (!fs.existsSync(file))
        throw new InputError(file, '', `no synthesized stack for env "${env}" (run \`npm run synth\` first, or pass the right --synth-dir)`);
      sets.set(env, loadPolicyFile(file));
    }
    return sets.get(env)!;
  };
  let results: AlertTestResult[];
  try {
    const files = collectAlertTestFiles(args.positionals);
    if (files.length === 0) {
      err('simulate test: no alert test files found');
      return 2;
    }
    results = runAlertTestFiles(files, policies);
  } catch (e) {
    if (e instanceof InputError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  const failed = results.filter((r) => r.failures.length);
  if (args.values.json) {
    out(
      JSON.stringify(
        {
          tests: results.map((r) => ({
            file: r.test.file,
            scenario: r.test.scenario.name,
            env: r.test.env,
            ok: r.failures.length === 0,
            failures: r.failures,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const r of results) out(formatAlertTestResult(r));
    out(`\n${results.length - failed.length} of ${results.length} alert tests passed`);
  }
  return failed.length ? 1 : 0;
}
