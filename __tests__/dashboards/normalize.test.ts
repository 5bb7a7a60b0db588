import { canonicalDuration, diffSuppressed, driftRisks, normalizeDashboardJson, simulateApiRead } from '../../constructs/dashboards/normalize';

describe('normalizeDashboardJson', () => {
  const raw = {
    mosaicLayout: {
      tiles: [
        {
          yPos: 0,
          xPos: 0,
          width: 24,
          height: 16,
          widget: {
            title: 'b',
            xyChart: {
              dataSets: [
                {
                  timeSeriesQuery: {
                    timeSeriesFilter: {
                      filter: 'f',
                      aggregation: { alignmentPeriod: '1m', groupByFields: [], crossSeriesReducer: undefined, perSeriesAligner: 'ALIGN_DELTA' },
                    },
                  },
                },
              ],
              thresholds: [
                { value: 0, label: 'zero line' },
                { value: 5, label: '' },
              ],
            },
          },
        },
        { xPos: 24, yPos: 0, width: 24, height: 16, widget: { title: 'a', incidentList: {}, showLegend: false } },
      ],
      columns: 48,
    },
    displayName: 'D',
    labels: null,
  };

  it('omits zero, false, empty-string, empty-array and null values; keeps empty objects and array order', () => {
    const n = normalizeDashboardJson(raw) as any;
    expect(n.labels).toBeUndefined();
    expect(n.mosaicLayout.tiles[0]).not.toHaveProperty('xPos');
    expect(n.mosaicLayout.tiles[0]).not.toHaveProperty('yPos');
    expect(n.mosaicLayout.tiles[1].xPos).toBe(24);
    expect(n.mosaicLayout.tiles[1].widget).toEqual({ title: 'a', incidentList: {} });
    const agg = n.mosaicLayout.tiles[0].widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.aggregation;
    expect(agg).toEqual({ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_DELTA' });
    // Array elements keep their places; only their zero fields go.
    expect(n.mosaicLayout.tiles[0].widget.xyChart.thresholds).toEqual([{ label: 'zero line' }, { value: 5 }]);
    expect(n.mosaicLayout.tiles.map((t: any) => t.widget.title)).toEqual(['b', 'a']);
  });

  it('sorts keys at every level and is idempotent', () => {
    const once = JSON.stringify(normalizeDashboardJson(raw));
    expect(once.indexOf('"displayName"')).toBeLessThan(once.indexOf('"mosaicLayout"'));
    expect(once.indexOf('"columns"')).toBeLessThan(once.indexOf('"tiles"'));
    expect(JSON.stringify(normalizeDashboardJson(JSON.parse(once)))).toBe(once);
    expect(driftRisks(JSON.parse(once))).toEqual([]);
  });

  it('writes durations in canonical seconds', () => {
    expect(canonicalDuration('1m')).toBe('60s');
    expect(canonicalDuration('1h')).toBe('3600s');
    expect(canonicalDuration('300s')).toBe('300s');
    expect(canonicalDuration('60.000s')).toBe('60s');
    expect(canonicalDuration(600)).toBe('600s');
    expect(() => canonicalDuration('PT1M')).toThrow(/not a duration/);
    expect(() => normalizeDashboardJson({ a: { alignmentPeriod: 'soon' } })).toThrow(/\$\.a\.alignmentPeriod: not a duration/);
  });
});

describe('driftRisks', () => {
  it('names every value the API would drop or rewrite', () => {
    const risks = driftRisks({ b: 1, a: { xPos: 0, showLegend: false, labelKey: '', groupByFields: [], alignmentPeriod: '1m' } });
    expect(risks).toEqual([
      '$: keys not in canonical (sorted) order',
      '$.a: keys not in canonical (sorted) order',
      '$.a.xPos: zero is omitted by the API',
      '$.a.showLegend: false is omitted by the API',
      '$.a.labelKey: empty string is omitted by the API',
      '$.a.groupByFields: empty array is omitted by the API',
      '$.a.alignmentPeriod: duration "1m" is not canonical "<n>s"',
    ]);
  });
});

describe("the provider's diff suppression (removeComputedKeys + deep equal)", () => {
  const tile = (extra: object) => ({
    displayName: 'D',
    mosaicLayout: {
      columns: 48,
      tiles: [
        {
          width: 48,
          height: 4,
          widget: {
            title: 't',
            xyChart: {
              dataSets: [{ timeSeriesQuery: { timeSeriesFilter: { filter: 'f', aggregation: { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MEAN' } } } }],
            },
          },
          ...extra,
        },
      ],
    },
  });

  it('shows no diff when the config is normalized, even though the API adds defaults', () => {
    const config = JSON.stringify(normalizeDashboardJson(tile({ xPos: 0, yPos: 0 })));
    const state = simulateApiRead(config);
    expect(state).toContain('"targetAxis":"Y1"');
    expect(state).toContain('"etag"');
    expect(diffSuppressed(state, config)).toBe(true);
  });

  it.each([
    ['"xPos": 0', tile({ xPos: 0 })],
    ['a "1m" duration', JSON.parse(JSON.stringify(tile({})).replace('"60s"', '"1m"'))],
    ['"showLegend": false', { ...tile({}), showLegend: false }],
    ['"groupByFields": []', JSON.parse(JSON.stringify(tile({})).replace('"perSeriesAligner"', '"groupByFields":[],"perSeriesAligner"'))],
  ])('diffs forever on an unnormalized %s (negative control)', (_name, dashboard) => {
    const config = JSON.stringify(dashboard);
    expect(diffSuppressed(simulateApiRead(config), config)).toBe(false);
    const normalized = JSON.stringify(normalizeDashboardJson(dashboard));
    expect(diffSuppressed(simulateApiRead(normalized), normalized)).toBe(true);
  });
});
