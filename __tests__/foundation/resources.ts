/**
 * One snapshot per prod resource, one snapshot FILE per resource type (`prod/<type>.test.ts` →
 * `prod/__snapshots__/<type>.test.ts.snap`), with `dashboard_json` parsed, so that a review of a change reads as the
 * few lines that changed. Regenerate after an intended change with `npx jest __tests__/foundation -u`.
 */
import { loadStack } from '../support/synth';
import { readableResource } from './inventory';

export const SNAPSHOT_ENV = 'prod';
/** The stacks snapshotted resource by resource, each in its own folder of test files (one per resource type). */
export const SNAPSHOT_STACKS = [SNAPSHOT_ENV, `${SNAPSHOT_ENV}-bootstrap`] as const;

export function snapshotEachResource(type: string, stackName: string = SNAPSHOT_ENV): void {
  const byName = loadStack(stackName).resource[type] ?? {};
  const names = Object.keys(byName).sort();
  test(`${stackName} has ${type} resources`, () => {
    expect(names.length).toBeGreaterThan(0);
  });
  // Named tests (not test.each over a computed list in one test) so that each resource is its own snapshot entry.
  for (const name of names) {
    test(`${type}.${name}`, () => {
      expect(readableResource(type, byName[name])).toMatchSnapshot();
    });
  }
}
