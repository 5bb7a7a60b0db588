/** gcp/simulate/lookback.ts: how far back a condition reads, the one rule the backtest's plan and the drill scenarios use. */
import { conditionLookbackSeconds } from '../../gcp/simulate';

const SLO = 'projects/p/services/s/serviceLevelObjectives/availability';

describe('conditionLookbackSeconds', () => {
  test('threshold: the alignment period plus the duration', () => {
    expect(conditionLookbackSeconds({ conditionThreshold: { filter: 'metric.type="a"', aggregations: [{ alignmentPeriod: '300s' }], duration: '600s' } })).toBe(
      900,
    );
  });

  test('ratio: the longer of the numerator and denominator windows', () => {
    const c = {
      conditionThreshold: {
        filter: 'metric.type="a"',
        aggregations: [{ alignmentPeriod: '60s' }],
        denominatorFilter: 'metric.type="b"',
        denominatorAggregations: [{ alignmentPeriod: '3600s' }],
        duration: '120s',
      },
    };
    expect(conditionLookbackSeconds(c)).toBe(3720);
  });

  test('SLO burn rate: the selector lookback (not an alignment period) plus the duration', () => {
    expect(conditionLookbackSeconds({ conditionThreshold: { filter: `select_slo_burn_rate("${SLO}", "24h")`, duration: '0s' } })).toBe(86_400);
    expect(conditionLookbackSeconds({ conditionThreshold: { filter: `select_slo_burn_rate("${SLO}", "1h")`, duration: '300s' } })).toBe(3900);
  });

  test('absence: the alignment period plus the duration', () => {
    expect(conditionLookbackSeconds({ conditionAbsent: { filter: 'metric.type="a"', aggregations: [{ alignmentPeriod: '300s' }], duration: '900s' } })).toBe(
      1200,
    );
  });

  test('log match and unreadable durations read nothing back', () => {
    expect(conditionLookbackSeconds({ conditionMatchedLog: { filter: 'severity>=ERROR' } })).toBe(0);
    expect(
      conditionLookbackSeconds({ conditionThreshold: { filter: 'metric.type="a"', aggregations: [{ alignmentPeriod: 'soon' }], duration: 'later' } }),
    ).toBe(0);
  });
});
