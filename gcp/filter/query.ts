/**
 * Questions the lint, cost and simulator ask of a parsed filter, answered from the tree (never from the text).
 */
import type { Comparison, FilterNode, Selector } from './ast';
import { LABEL_KEY } from './label-key';

/**
 * Whether any node of the tree mixed AND and OR at one level without parentheses (wherever it stands: the evaluator's
 * unsupportedNode stops at the first refused node, so it cannot answer this).
 */
export function hasAssumedPrecedence(node: FilterNode): boolean {
  switch (node.op) {
    case 'AND':
    case 'OR':
      return node.assumedPrecedence === true || node.args.some(hasAssumedPrecedence);
    case 'NOT':
      return hasAssumedPrecedence(node.arg);
    case 'cmp':
      return false;
  }
}

/**
 * A copy of the tree with each comparison replaced by what `f` returns for it (the tree itself is left alone:
 * parseFilter's trees are memoized and shared).
 */
export function mapComparisons(node: FilterNode, f: (c: Comparison) => Comparison): FilterNode {
  switch (node.op) {
    case 'AND':
    case 'OR':
      return { ...node, args: node.args.map((a) => mapComparisons(a, f)) };
    case 'NOT':
      return { op: 'NOT', arg: mapComparisons(node.arg, f) };
    case 'cmp':
      return f(node);
  }
}

/** Every comparison in the tree, with whether it sits under an odd number of NOTs. */
export function comparisons(node: FilterNode, negated = false): Array<{ cmp: Comparison; negated: boolean }> {
  switch (node.op) {
    case 'AND':
    case 'OR':
      return node.args.flatMap((a) => comparisons(a, negated));
    case 'NOT':
      return comparisons(node.arg, !negated);
    case 'cmp':
      return [{ cmp: node, negated }];
  }
}

function positiveLiterals(node: FilterNode, kind: Selector['kind']): string[] {
  const out = new Set<string>();
  for (const { cmp, negated } of comparisons(node)) {
    if (negated || cmp.sel.kind !== kind || cmp.cmp !== '=') continue;
    if (cmp.rhs.fn === 'eq') out.add(String(cmp.rhs.value));
    else if (cmp.rhs.fn === 'one_of') cmp.rhs.values.forEach((v) => out.add(v));
  }
  return [...out];
}

/** Metric types the filter selects with `metric.type = "…"` (or one_of), outside any NOT. */
export function metricTypesOf(node: FilterNode): string[] {
  return positiveLiterals(node, 'metric.type');
}

/** Resource types the filter selects with `resource.type = "…"`, outside any NOT. */
export function resourceTypesOf(node: FilterNode): string[] {
  return positiveLiterals(node, 'resource.type');
}

/** How many times each selector kind appears (e.g. to require exactly one metric.type). */
export function selectorCount(node: FilterNode, kind: Selector['kind']): number {
  return comparisons(node).filter(({ cmp }) => cmp.sel.kind === kind).length;
}

/** The metric.type comparisons: each with its literal when it is `= "literal"`. */
export function metricTypeComparisons(node: FilterNode): Array<{ literal?: string }> {
  return comparisons(node)
    .filter(({ cmp }) => cmp.sel.kind === 'metric.type')
    .map(({ cmp, negated }) => ({ literal: !negated && cmp.cmp === '=' && cmp.rhs.fn === 'eq' ? String(cmp.rhs.value) : undefined }));
}

/** Label keys the filter names, by owner. */
export function labelKeysOf(node: FilterNode): Array<{ kind: 'metric' | 'resource'; key: string }> {
  const out: Array<{ kind: 'metric' | 'resource'; key: string }> = [];
  for (const { cmp } of comparisons(node)) {
    if (cmp.sel.kind === 'metric.label') out.push({ kind: 'metric', key: cmp.sel.key });
    else if (cmp.sel.kind === 'resource.label') out.push({ kind: 'resource', key: cmp.sel.key });
  }
  return out;
}

/**
 * A `groupByFields` entry (common.proto Aggregation.group_by_fields): `resource.type`, `metric.type`, or
 * `metric.label(s).KEY` / `resource.label(s).KEY`. An unquoted KEY is read as in a filter (label-key.ts: the filter
 * parser's rule, so a key a filter names can be grouped by); a quoted one is taken as written. KEY `*` is the console's
 * "every label of that kind" (`resource.label.*` in Google's uptime alert sample, gcp-facts §2.4). Undefined for
 * anything else.
 */
export type GroupByField = { kind: 'metric' | 'resource'; key: string } | { kind: 'resource.type' } | { kind: 'metric.type' };

const GROUP_BY_LABEL = new RegExp(`^(metric|resource)\\.labels?\\.(?:"([^"]+)"|(\\*|${LABEL_KEY}))$`);

export function parseGroupByField(field: string): GroupByField | undefined {
  if (field === 'resource.type' || field === 'metric.type') return { kind: field };
  const m = GROUP_BY_LABEL.exec(field);
  return m ? { kind: m[1] as 'metric' | 'resource', key: m[2] ?? m[3] } : undefined;
}

/**
 * One spelling of a parsed group-by field, whatever way it was written (`labels`, a quoted key): `metric.label.KEY`,
 * `resource.label.KEY`, `resource.type`, `metric.type`. What the simulator's messages name a field by and the key its
 * reduced series' labels are looked up by (tools/preview).
 */
export function groupFieldName(f: GroupByField): string {
  return f.kind === 'metric' || f.kind === 'resource' ? `${f.kind}.label.${f.key}` : f.kind;
}

/** Literal `KEY = value` (and `!=`) terms outside NOT, for human descriptions of a query. */
export function labelEqualities(node: FilterNode, kind: 'metric.label' | 'resource.label'): Array<{ key: string; cmp: string; value: string }> {
  const out: Array<{ key: string; cmp: string; value: string }> = [];
  for (const { cmp, negated } of comparisons(node)) {
    if (negated || cmp.sel.kind !== kind) continue;
    const value =
      cmp.rhs.fn === 'eq'
        ? String(cmp.rhs.value)
        : cmp.rhs.fn === 'one_of'
          ? cmp.rhs.values.join('|')
          : cmp.rhs.fn === 'regex'
            ? `/${cmp.rhs.source}/`
            : `${cmp.rhs.fn}(${cmp.rhs.value})`;
    out.push({ key: cmp.sel.key, cmp: cmp.cmp, value });
  }
  return out;
}
