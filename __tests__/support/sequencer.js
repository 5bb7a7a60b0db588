// Runs the longest test files first, so the two workers finish together instead of one waiting on a long file
// started last. Jest already does this from the timings of an earlier run; on a fresh clone there are none, so the
// files known to be long (they simulate weeks of traffic, synthesize a git ref, start Chromium) go first, then the
// rest by size.
const Sequencer = require('@jest/test-sequencer').default;
const fs = require('node:fs');

/** Known long files (seconds alone on the 2-core machine, measured 2026-11-29 from `jest --json`), longest first. */
const LONG = [
  'foundation/synth-output.test.ts',
  'review/interrupt.test.ts',
  'backtest/e2e.test.ts',
  'foundation/cdktf-bad-environment.test.ts',
  'review/review.test.ts',
  'drill/safety.test.ts',
  'browser/pages.test.ts',
  'catalog/ids.test.ts',
  'scenarios/alert-tests-quiet-week.test.ts',
  'scenarios/alert-tests.test.ts',
  'drill/drill.test.ts',
  'foundation/determinism.test.ts',
  'lint/lint.test.ts',
  'gcp/lint-rules.test.ts',
];

class LongestFirst extends Sequencer {
  sort(tests) {
    const known = tests.filter((t) => this._getCache(t)?.[t.path]);
    if (known.length === tests.length) return super.sort(tests);
    const rank = (t) => {
      const i = LONG.findIndex((l) => t.path.endsWith(l));
      return i < 0 ? LONG.length : i;
    };
    const size = (t) => fs.statSync(t.path, { throwIfNoEntry: false })?.size ?? 0;
    return [...tests].sort((a, b) => rank(a) - rank(b) || size(b) - size(a));
  }
}

module.exports = LongestFirst;
