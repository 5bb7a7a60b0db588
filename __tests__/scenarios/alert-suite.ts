/**
 * The alert tests of scenarios/alerts/ loaded for jest (two test files share this, so that the seven-day quiet weeks
 * run on the other worker): files, their tests, the synthesized policy sets and the cached results.
 */
import * as path from 'node:path';
import { AlertTest, AlertTestResult, collectAlertTestFiles, loadAlertTestFile, runAlertTest } from '../../gcp/simulate/alert-tests';
import { loadPolicyFile, PolicySet } from '../../gcp/simulate/policies';
import { stackPath } from '../support/synth';

export const root = path.resolve(__dirname, '..', '..');
export const dir = path.join(root, 'scenarios', 'alerts');
export const QUIET_WEEK = 'quiet-week.yaml';
/** The test files of scenarios/alerts/ (collected on first use: every file is read to tell fragments from tests). */
let collected: string[] | undefined;
export const testFiles = (): string[] => (collected ??= collectAlertTestFiles([dir]));
export const rel = (f: string) => path.relative(root, f);
export const policyName = (env: string, alert: string) => `Vividly API (${env}): ${alert}`;

/** The tests of the files `which` selects, loaded once per jest file. */
export function loadTests(which: (file: string) => boolean): AlertTest[] {
  return testFiles().filter(which).flatMap(loadAlertTestFile);
}

const sets = new Map<string, PolicySet>();
const policies = (env: string): PolicySet => {
  if (!sets.has(env)) sets.set(env, loadPolicyFile(stackPath(env)));
  return sets.get(env)!;
};
const results = new Map<AlertTest, AlertTestResult>();
export function resultOf(t: AlertTest): AlertTestResult {
  if (!results.has(t)) results.set(t, runAlertTest(t, policies(t.env)));
  return results.get(t)!;
}

/** One jest test per scenario and env: its failures ("at <time>: expected [...] actual [...]") must be empty. */
export function describeFiles(tests: AlertTest[]): void {
  const names = [...new Set(tests.map((t) => rel(t.file)))];
  describe.each(names)('%s', (file) => {
    const own = tests.filter((t) => rel(t.file) === file);
    test.each(own.map((t) => [`${t.scenario.name} (${t.env})`, t] as const))('%s', (_name, t) => {
      expect(resultOf(t).failures).toEqual([]);
    });
  });
}
