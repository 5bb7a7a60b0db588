import {
  FilterSyntaxError,
  isBareLabelKey,
  labelEqualities,
  labelKeysOf,
  lookbackSeconds,
  matchesFilter,
  metricTypeComparisons,
  metricTypesOf,
  parseFilter,
  parseGroupByField,
  parseSeriesFilter,
  printFilter,
  mapComparisons,
  type Comparison,
  type FilterNode,
  type ParsedFilter,
  resourceTypesOf,
  sloSelectorOf,
  unsupportedNode,
  UnsupportedFilterError,
} from '../../gcp/filter';
import { lintApiResource } from '../../gcp/lint';
import { parseMonitoringFilter } from '../../gcp/simulate/filter';

const series = {
  metric: { type: 'run.googleapis.com/request_count', labels: { response_code: '503', response_code_class: '5xx' } },
  resource: { type: 'cloud_run_revision', labels: { service_name: 'prod-vividly-api', project_id: 'p1' } },
};

describe('the one Monitoring filter parser', () => {
  test('builds one tree for the full grammar', () => {
    expect(parseFilter('metric.type = "a" AND NOT metric.labels.code = one_of("1", "2")')).toEqual({
      op: 'AND',
      args: [
        { op: 'cmp', sel: { kind: 'metric.type' }, cmp: '=', rhs: { fn: 'eq', value: 'a', quoted: true }, pos: 0 },
        { op: 'NOT', arg: { op: 'cmp', sel: { kind: 'metric.label', key: 'code' }, cmp: '=', rhs: { fn: 'one_of', values: ['1', '2'] }, pos: 26 } },
      ],
    });
  });

  test.each([
    ['group.id = "g1"', { kind: 'group.id' }],
    ['metadata.system_labels.name = "vm-1"', { kind: 'metadata.system_label', key: 'name' }],
    ['metadata.user_labels."my-key" = "x"', { kind: 'metadata.user_label', key: 'my-key' }],
    ['project = "p1"', { kind: 'project' }],
    ['resource.label.zone = starts_with("europe-")', { kind: 'resource.label', key: 'zone' }],
  ])('selector %s', (f, sel) => expect(parseSeriesFilter(f)).toMatchObject({ op: 'cmp', sel }));

  test.each([':', '=~', '!~', '!=', '='])('comparator %s', (cmp) => expect(parseSeriesFilter(`metric.labels.route ${cmp} "/api"`)).toMatchObject({ cmp }));

  test('AND and OR mixed without parentheses: OR binds tighter (AIP-160) and the tree says it was assumed', () => {
    const node = parseSeriesFilter('metric.type = "a" AND resource.type = "b" OR resource.type = "c"');
    expect(node).toMatchObject({ op: 'AND', assumedPrecedence: true, args: [{ op: 'cmp' }, { op: 'OR', args: [{ op: 'cmp' }, { op: 'cmp' }] }] });
    expect(unsupportedNode(node)).toMatch(/mixed without parentheses/);
    expect(() => matchesFilter(node, series)).toThrow(UnsupportedFilterError);
  });

  test('parentheses decide, and an unmixed run is not flagged', () => {
    const node = parseSeriesFilter('metric.type = "a" AND (resource.type = "b" OR resource.type = "c") resource.labels.x = "y"');
    expect(node).toMatchObject({ op: 'AND', args: [{}, { op: 'OR' }, {}] });
    expect(unsupportedNode(node)).toBeUndefined();
  });

  test.each([
    ['metric.type = "a" AND (resource.type = "b"', /expected "\)"|end of filter/, undefined],
    ['metric.type = foo', /unsupported right-hand side "foo" at offset 14/, 14],
    ['metric.type < 5', /not valid on metric.type/, 12],
    ['widget.x = "1"', /unknown selector "widget.x" at offset 0/, 0],
    ['metric.labels.a = "x" and resource.type = "b"', /must be upper case/, 22],
    ['metric.labels.a =~ 5', /takes a quoted regular expression/, 16],
    ['metric.labels.a = "x', /unterminated string starting at offset 18/, 18],
    ['', /empty filter/, 0],
  ])('syntax error: %s', (f, re, offset) => {
    let err: unknown;
    try {
      parseFilter(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterSyntaxError);
    expect((err as Error).message).toMatch(re);
    if (offset !== undefined) expect((err as FilterSyntaxError).offset).toBe(offset);
  });

  test('SLO selectors are parsed by the same parser, as a whole filter only', () => {
    expect(sloSelectorOf('select_slo_burn_rate("projects/p/services/s/serviceLevelObjectives/o", "3600s")')).toEqual({
      op: 'slo',
      selector: 'select_slo_burn_rate',
      name: 'projects/p/services/s/serviceLevelObjectives/o',
      lookback: '3600s',
    });
    expect(sloSelectorOf('metric.type = "a"')).toBeUndefined();
    expect(() => parseFilter('select_slo_health("x") AND metric.type = "a"')).toThrow(/whole filter/);
    expect(() => parseSeriesFilter('select_slo_health("x")')).toThrow(/SLO selector, not a time-series filter/);
    expect([lookbackSeconds('3600s'), lookbackSeconds('1h'), lookbackSeconds('90m'), lookbackSeconds('3d')]).toEqual([3600, 3600, 5400, undefined]);
  });

  test('queries answer from the tree, not the text (a selector inside a quoted value is not a selector)', () => {
    const node = parseSeriesFilter(
      'metric.type = "a" AND resource.type = "cloud_run_revision" AND metric.labels.path = "metric.type=\\"b\\"" AND NOT metric.type = "c"',
    );
    expect(metricTypesOf(node)).toEqual(['a']);
    expect(resourceTypesOf(node)).toEqual(['cloud_run_revision']);
    expect(metricTypeComparisons(node)).toEqual([{ literal: 'a' }, { literal: undefined }]);
    expect(labelKeysOf(node)).toEqual([{ kind: 'metric', key: 'path' }]);
    expect(labelEqualities(node, 'metric.label')).toEqual([{ key: 'path', cmp: '=', value: 'metric.type="b"' }]);
  });

  test('evaluates every documented matching function', () => {
    const m = (f: string) => matchesFilter(parseSeriesFilter(f), series);
    expect(m('metric.labels.response_code =~ "^5"')).toBe(true);
    expect(m('metric.labels.response_code !~ "^5"')).toBe(false);
    expect(m('resource.labels.service_name = has_substring("vividly")')).toBe(true);
    expect(m('metric.labels.response_code_class = one_of("4xx", "5xx") AND project = "p1"')).toBe(true);
  });
});

describe('the printer: text that parses back to the same tree', () => {
  /** The tree without source offsets. */
  const shape = (t: ParsedFilter): unknown => JSON.parse(JSON.stringify(t, (k, v: unknown) => (k === 'pos' ? undefined : v)));
  const roundTrips = (filter: string) => {
    const tree = parseFilter(filter);
    const printed = printFilter(tree);
    expect({ printed, tree: shape(parseFilter(printed)) }).toEqual({ printed, tree: shape(tree) });
    expect(printFilter(parseFilter(printed))).toBe(printed);
  };

  test.each([
    'metric.type = "run.googleapis.com/request_count" AND resource.type = "cloud_run_revision"',
    'metric.labels.check_id="api" AND metric.label.checker_location = one_of("usa-iowa", "europe-belgium")',
    'resource.labels."my key" = "a \\"quoted\\" \\\\ value" OR NOT metadata.user_labels."team-name" = "x"',
    'metric.labels.response_code >= 500 AND metric.labels.response_code < 600 AND metric.labels.n = -1.5',
    'metric.labels.latency > 123456789012345678901234 AND metric.labels.ratio <= 0.0000001',
    'metric.labels.x = 0.000000000000000000001 AND metric.labels.y = 1.50 AND metric.labels.z != -007',
    'resource.labels.zone = starts_with("europe-") AND resource.labels.zone = ends_with("-b") AND project = has_substring("prod")',
    'metric.labels.path = monitoring.regex.full_match("/api/v[0-9]+/.*") AND metric.labels.code =~ "^5\\\\d\\\\d$" AND metric.labels.code !~ "2"',
    'group.id = "g1" AND resource.labels.service_name : "vividly" AND metadata.system_labels.name = "vm"',
    'metric.type = "a" OR metric.type = "b" AND resource.type = "c"',
    '(metric.type = "a" OR metric.type = "b") AND resource.type = "c" OR resource.type = "d"',
    'metric.type = "a" AND (resource.type = "b" OR (resource.type = "c" AND NOT (project = "p" OR project = "q")))',
    'metric.type = "a" AND (resource.type = "b" AND project = "p")',
    'metric.type = "a" OR (metric.type = "b" OR metric.type = "c") AND NOT NOT project = "p"',
    'metric.type = "a" resource.type = "b"',
    'select_slo_burn_rate("projects/p/services/s/serviceLevelObjectives/o", "3600s")',
    'select_slo_health("projects/p/services/s/serviceLevelObjectives/o")',
  ])('%s', roundTrips);

  // An OR parenthesised inside an AND/OR mix gives the tree the assumed precedence would give too; only the text tells
  // them apart (and they differ if AND binds tighter), so the printer must keep those parentheses and add none.
  test.each([
    'metric.type="x" OR resource.type="y" AND (metric.labels.a="1" OR metric.labels.b="2")',
    '(metric.type="x" OR resource.type="y") AND metric.labels.a="1" OR metric.labels.b="2"',
    'metric.type="x" AND (resource.type="y" OR project="p") OR metric.labels.a="1"',
    '(metric.type="x" OR resource.type="y") AND (metric.labels.a="1" OR metric.labels.b="2") OR project="p"',
    'metric.type="x" OR (resource.type="y" OR project="p") AND NOT (metric.labels.a="1" OR metric.labels.b="2")',
    'metric.type="x" OR resource.type="y" AND metric.labels.a="1" OR metric.labels.b="2"',
    'metric.type="x" AND resource.type="y" OR (metric.labels.a="1" AND metric.labels.b="2")',
  ])('keeps the grouping as written in a precedence mix: %s', (filter) => {
    roundTrips(filter);
    expect(printFilter(parseFilter(filter))).toBe(filter);
  });

  // Trees of every node kind, nested at random (a fixed seed: the same trees each run).
  test('round-trips 500 generated filters', () => {
    let seed = 16;
    // The high bits: the low bits of this generator repeat with a short period (the lowest alternates).
    const rand = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];
    const text = () => pick(['a', 'x y', 'q"uote', 'back\\slash', '', 'ünï']);
    const comparison = (): string => {
      const sel = pick(['metric.type', 'resource.type', 'project', 'group.id', 'metric.labels.k', 'resource.label."k-1"', 'metadata.user_labels.t']);
      const typed = sel === 'metric.type' || sel === 'resource.type';
      const cmp = pick(typed ? ['=', '!=', ':'] : ['=', '!=', ':', '<', '<=', '>', '>=', '=~', '!~']);
      const str = JSON.stringify(text());
      if (['<', '<=', '>', '>='].includes(cmp)) return `${sel} ${cmp} ${pick(['0', '-3', '2.25', '10'])}`;
      if (cmp === '=~' || cmp === '!~' || typed) return `${sel} ${cmp} ${str}`;
      const fn = pick(['', 'starts_with', 'ends_with', 'has_substring', 'one_of', 'monitoring.regex.full_match']);
      if (!fn) return `${sel} ${cmp} ${pick([str, '42'])}`;
      return `${sel} ${cmp} ${fn}(${fn === 'one_of' ? [str, JSON.stringify(text())].join(', ') : str})`;
    };
    const expr = (depth: number): string => {
      if (depth === 0 || rand(3) === 0) return rand(4) === 0 ? `NOT ${comparison()}` : comparison();
      const n = 2 + rand(3);
      const parts = Array.from({ length: n }, () => expr(depth - 1)).map((p) => (rand(2) ? `(${p})` : rand(3) === 0 ? `NOT (${p})` : p));
      return parts.reduce((acc, p) => `${acc} ${pick(['AND', 'OR', 'AND', ''])} ${p}`.replace(/ {2}/, ' '));
    };
    // An OR written in parentheses among the OR groups of a mix: the same tree but for implicitGroup, which the round
    // trip compares, so each of these keeps its parentheses.
    const parenthesisedOrInMix = (n: FilterNode): boolean =>
      n.op === 'NOT'
        ? parenthesisedOrInMix(n.arg)
        : n.op === 'cmp'
          ? false
          : (n.assumedPrecedence === true && n.args.some((a) => a.op === 'OR' && !a.implicitGroup)) || n.args.some(parenthesisedOrInMix);
    let parsed = 0;
    let withParenthesisedOrInMix = 0;
    for (let i = 0; i < 500; i++) {
      const filter = expr(3);
      let tree: FilterNode;
      try {
        tree = parseSeriesFilter(filter);
      } catch {
        continue; // e.g. a bare NOT before an unparenthesised run: not what this test is about
      }
      parsed++;
      if (parenthesisedOrInMix(tree)) withParenthesisedOrInMix++;
      roundTrips(filter);
    }
    expect(parsed).toBeGreaterThan(400);
    expect(withParenthesisedOrInMix).toBeGreaterThan(20);
  });

  test('numbers print as the source wrote them', () => {
    const filter = 'metric.labels.x=0.000000000000000000001 AND metric.labels.y<=1.50 AND metric.labels.z>-007 AND metric.labels.w=123456789012345678901234';
    expect(printFilter(parseFilter(filter))).toBe(filter);
  });

  // A value changed since the parse (its text left behind, or none) prints as the number, exponents written out.
  test.each([
    [1e-21, '0.000000000000000000001'],
    [-1.5e-7, '-0.00000015'],
    [1.2e23, '120000000000000000000000'],
    [2.5, '2.5'],
  ])('a number changed since the parse: %s prints as %s', (value, printed) => {
    const withValue = (c: Comparison): Comparison => ({ ...c, rhs: { ...c.rhs, fn: 'eq', value, quoted: false } });
    expect(printFilter(mapComparisons(parseSeriesFilter('metric.labels.x = 7'), withValue))).toBe(`metric.labels.x=${printed}`);
    expect(printFilter(mapComparisons(parseSeriesFilter('metric.labels.x = "7"'), withValue))).toBe(`metric.labels.x=${printed}`);
  });

  test('mapComparisons copies the tree: the memoized parse is left alone', () => {
    const filter = 'metric.type = "a" AND (metric.labels.check_id = "tf" OR NOT metric.labels.check_id = one_of("tf", "x"))';
    const before = JSON.stringify(parseFilter(filter));
    const renamed = mapComparisons(parseSeriesFilter(filter), (c) =>
      c.sel.kind === 'metric.label' && c.rhs.fn === 'one_of' ? { ...c, rhs: { ...c.rhs, values: c.rhs.values.map((v) => (v === 'tf' ? 'id' : v)) } } : c,
    );
    expect(printFilter(renamed)).toBe('metric.type="a" AND (metric.labels.check_id="tf" OR NOT metric.labels.check_id=one_of("id", "x"))');
    expect(JSON.stringify(parseFilter(filter))).toBe(before);
  });
});

describe('groupByFields entries: one reading for the lint and the simulator', () => {
  test.each([
    ['resource.label.service_name', { kind: 'resource', key: 'service_name' }],
    ['metric.labels.response_code_class', { kind: 'metric', key: 'response_code_class' }],
    ['metric.label.Code2', { kind: 'metric', key: 'Code2' }],
    ['resource.labels."my-key"', { kind: 'resource', key: 'my-key' }],
    ['metric.labels.response-code', { kind: 'metric', key: 'response-code' }],
    ['metric.labels._private', { kind: 'metric', key: '_private' }],
    ['resource.label.*', { kind: 'resource', key: '*' }],
    ['resource.type', { kind: 'resource.type' }],
    ['metric.type', { kind: 'metric.type' }],
  ])('%s', (field, expected) => expect(parseGroupByField(field)).toEqual(expected));

  // An unquoted key starts with a letter or `_` (label-key.ts); a quoted one is not empty.
  test.each(['metric.labels.-key', 'resource.label.1st', 'metric.labels.a.b', 'resource.label.""', 'metadata.user_labels.team', 'service_name'])(
    'refuses %s',
    (field) => expect(parseGroupByField(field)).toBeUndefined(),
  );
});

describe('one label-key rule for the filter parser, the groupByFields reader and the printer', () => {
  test.each([
    ['response_code', true],
    ['Code2', true],
    ['response-code', true],
    ['_x', true],
    ['_', true],
    ['a-_b9', true],
    ['1st', false],
    ['-x', false],
    ['a.b', false],
    ['a b', false],
    ['a/b', false],
    ['ünï', false],
  ])('%s bare: %s', (key, bare) => {
    expect(isBareLabelKey(key)).toBe(bare);
    expect(parseGroupByField(`metric.labels.${key}`)).toEqual(bare ? { kind: 'metric', key } : undefined);
    expect(parseGroupByField(`resource.labels.${JSON.stringify(key)}`)).toEqual({ kind: 'resource', key });
    const bareFilter = `metric.labels.${key}="v"`;
    if (bare) expect(parseSeriesFilter(bareFilter)).toMatchObject({ sel: { kind: 'metric.label', key } });
    else expect(() => parseSeriesFilter(bareFilter)).toThrow(FilterSyntaxError);
    expect(printFilter(parseSeriesFilter(`metric.labels.${JSON.stringify(key)}="v"`))).toBe(bare ? bareFilter : `metric.labels.${JSON.stringify(key)}="v"`);
  });
});

describe('one parser, three readers', () => {
  const policy = (filter: string) => ({
    displayName: 'P',
    combiner: 'OR',
    conditions: [
      {
        displayName: 'c',
        conditionThreshold: {
          filter,
          comparison: 'COMPARISON_GT',
          thresholdValue: 1,
          duration: '60s',
          aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE' }],
        },
      },
    ],
  });
  const rulesOf = (filter: string) => lintApiResource('AlertPolicy', policy(filter), { schema: false }).map((f) => `${f.severity}:${f.rule}`);
  const base = 'metric.type = "run.googleapis.com/request_count" AND resource.type = "cloud_run_revision"';

  test.each(['group.id = "g"', 'metadata.user_labels.team = "api"', 'resource.labels.service_name : "vividly"'])(
    'the lint accepts valid syntax the simulator refuses: %s',
    (extra) => {
      expect(rulesOf(`${base} AND ${extra}`).filter((r) => r.startsWith('error:'))).toEqual([]);
      expect(() => parseMonitoringFilter(`${base} AND ${extra}`)).toThrow(/UNSUPPORTED by the simulator/);
    },
  );

  test('the lint reports invalid syntax, with the reason', () => {
    expect(rulesOf(`${base} AND metric.labels.x = "unterminated`)).toContain('error:filter/syntax');
    expect(rulesOf(base)).not.toContain('error:filter/syntax');
  });

  test('the lint warns on an AND/OR mix and not on a parenthesised one', () => {
    expect(rulesOf(`${base} OR resource.type = "x"`)).toContain('warning:filter/precedence');
    expect(rulesOf(`${base} AND (resource.type = "x" OR resource.type = "y")`)).not.toContain('warning:filter/precedence');
  });

  // The simulator's unsupportedNode stops at the first node it refuses; the warning must not stop there.
  const mixed = '(resource.labels.service_name = "a" OR resource.labels.service_name = "b" AND resource.labels.location = "x")';
  const parenthesised = '(resource.labels.service_name = "a" OR resource.labels.service_name = "b") AND resource.labels.location = "x"';
  test.each(['group.id = "1"', 'metadata.user_labels.team = "api"', 'resource.labels.service_name : "vividly"'])(
    'the lint warns on an AND/OR mix that follows a term the simulator refuses: %s',
    (refused) => {
      expect(rulesOf(`${base} AND ${refused} AND ${mixed}`)).toContain('warning:filter/precedence');
      expect(rulesOf(`${base} AND NOT ${refused} AND NOT ${mixed}`)).toContain('warning:filter/precedence');
      expect(rulesOf(`${base} AND ${refused} AND ${parenthesised}`)).not.toContain('warning:filter/precedence');
    },
  );
});
