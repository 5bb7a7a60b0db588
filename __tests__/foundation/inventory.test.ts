/**
 * Per-environment inventories (inventory.ts): resource counts and, one line each, the values that matter. The
 * snapshot (__snapshots__/inventory.test.ts.snap) is the review surface for the three environments; the per-resource
 * prod snapshots live in prod/__snapshots__/<type>.test.ts.snap. After an intended change:
 * `npx jest __tests__/foundation -u`, then read the diff.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENVS, loadStack } from '../support/synth';
import { inventory } from './inventory';
import { SNAPSHOT_STACKS } from './resources';

describe.each(ENVS)('%s inventory', (env) => {
  test('matches the reviewed inventory', () => {
    expect(inventory(loadStack(env))).toMatchSnapshot();
  });
  test('its bootstrap stack matches the reviewed inventory', () => {
    expect(inventory(loadStack(`${env}-bootstrap`))).toMatchSnapshot();
  });
});

test('the inventory is deterministic and independent of the synth key order', () => {
  const stack = loadStack('prod');
  const reversed = {
    ...stack,
    resource: Object.fromEntries(
      Object.entries(stack.resource)
        .reverse()
        .map(([t, byName]) => [t, Object.fromEntries(Object.entries(byName).reverse())]),
    ),
  };
  expect(JSON.stringify(inventory(reversed))).toBe(JSON.stringify(inventory(stack)));
});

test('a threshold change is one changed line of the inventory', () => {
  const stack = JSON.parse(JSON.stringify(loadStack('prod')));
  const before = JSON.stringify(inventory(stack), null, 1).split('\n');
  const policy = Object.values<any>(stack.resource.google_monitoring_alert_policy).find((p) => p.display_name.endsWith('DDoS Attempt'));
  policy.conditions[0].condition_threshold.threshold_value += 1;
  const after = JSON.stringify(inventory(stack), null, 1).split('\n');
  expect(after.length).toBe(before.length);
  expect(after.filter((line, i) => line !== before[i])).toHaveLength(1);
});

test.each(SNAPSHOT_STACKS)('every %s resource type has its per-resource snapshot file', (stackName) => {
  const files = fs
    .readdirSync(path.join(__dirname, stackName))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.test\.ts$/, ''))
    .sort();
  expect(files).toEqual(Object.keys(loadStack(stackName).resource).sort());
  const call = (f: string) => (stackName === 'prod' ? `snapshotEachResource('${f}')` : `snapshotEachResource('${f}', '${stackName}')`);
  for (const f of files) expect(fs.readFileSync(path.join(__dirname, stackName, `${f}.test.ts`), 'utf8')).toContain(call(f));
});
