/** The seven-day quiet week of every environment (scenarios/alerts/quiet-week.yaml): nothing may open. */
import * as path from 'node:path';
import { ENVS } from '../support/synth';
import { loadAlertTestFile } from '../../gcp/simulate/alert-tests';
import { describeFiles, dir, policyName, QUIET_WEEK, resultOf } from './alert-suite';

// The one file, read alone: that the directory's test files include it is alert-tests.test.ts's first test (collecting
// them reads every file of the directory).
const tests = loadAlertTestFile(path.join(dir, QUIET_WEEK));

describeFiles(tests);

test('a quiet week per environment, and it really carries load (the deploy bump crosses 2 s, logins fail)', () => {
  const weeks = tests;
  expect(weeks.map((t) => t.env).sort()).toEqual([...ENVS].sort());
  for (const t of weeks) {
    expect(t.opened).toEqual([]);
    const r = resultOf(t).result;
    expect(r.evaluationTimes.length).toBe(7 * 2880 + 1);
    const values = (alert: string) =>
      r.policies
        .find((p) => p.displayName === policyName(t.env, alert))!
        .conditions[0].series.flatMap((s) => s.values)
        .filter((v): v is number => v !== null);
    expect({ env: t.env, p95AboveTwo: Math.max(...values('Performance Degradation')) > 2 }).toEqual({ env: t.env, p95AboveTwo: true });
    expect({ env: t.env, failedLogins: Math.max(...values('Authentication Failures Spike')) > 0 }).toEqual({ env: t.env, failedLogins: true });
  }
});
