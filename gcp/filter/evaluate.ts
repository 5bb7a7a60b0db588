/**
 * Evaluates a parsed Monitoring filter against one time series' identity. Nodes whose meaning cannot be decided from
 * a series alone (group membership, resource metadata, an AND/OR mix whose precedence Google does not document) are
 * refused with UnsupportedFilterError rather than guessed.
 */
import { translateRe2 } from '../re2';
import type { Comparison, FilterNode, Rhs, Selector } from './ast';

export class UnsupportedFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedFilterError';
  }
}

export interface SeriesIdentity {
  metric: { type: string; labels: Record<string, string> };
  resource: { type: string; labels: Record<string, string> };
}

/** The first node of a tree the evaluator refuses, with the reason; undefined when the whole tree is evaluable. */
export function unsupportedNode(node: FilterNode): string | undefined {
  switch (node.op) {
    case 'AND':
    case 'OR':
      if (node.assumedPrecedence) return 'AND and OR mixed without parentheses: Google does not document their precedence; add parentheses';
      for (const a of node.args) {
        const why = unsupportedNode(a);
        if (why) return why;
      }
      return undefined;
    case 'NOT':
      return unsupportedNode(node.arg);
    case 'cmp':
      if (node.sel.kind === 'group.id') return "group.id needs the group's membership, which a series does not carry";
      if (node.sel.kind === 'metadata.system_label' || node.sel.kind === 'metadata.user_label')
        return `${node.sel.kind.replace('_label', '_labels')}.${node.sel.key} needs the resource's metadata, which a series does not carry`;
      if (node.cmp === ':') return 'the ":" (has) operator is not modelled';
      return undefined;
  }
}

const regexCache = new Map<string, RegExp>();

/** RE2 pattern -> JS RegExp; `full` anchors both ends (monitoring.regex.full_match). Throws on a pattern RE2 rejects. */
export function compileRe2(source: string, full: boolean): RegExp {
  const key = `${full ? 'F' : 'P'}${source}`;
  let re = regexCache.get(key);
  if (!re) {
    const tr = translateRe2(source).regex;
    re = full ? new RegExp(`^(?:${tr.source})$`, tr.flags) : tr;
    regexCache.set(key, re);
  }
  return re;
}

function selectValue(sel: Selector, s: SeriesIdentity): string | undefined {
  switch (sel.kind) {
    case 'metric.type':
      return s.metric.type;
    case 'resource.type':
      return s.resource.type;
    case 'project':
      return s.resource.labels.project_id;
    case 'metric.label':
      return s.metric.labels[sel.key];
    case 'resource.label':
      return s.resource.labels[sel.key];
    default:
      throw new UnsupportedFilterError(unsupportedNode({ op: 'cmp', sel, cmp: '=', rhs: { fn: 'eq', value: '', quoted: true }, pos: 0 }) ?? sel.kind);
  }
}

function matchRhs(v: string, rhs: Rhs): boolean {
  switch (rhs.fn) {
    case 'eq':
      return typeof rhs.value === 'number' ? v !== '' && Number(v) === rhs.value : v === rhs.value;
    case 'starts_with':
      return v.startsWith(rhs.value);
    case 'ends_with':
      return v.endsWith(rhs.value);
    case 'has_substring':
      return v.includes(rhs.value);
    case 'one_of':
      return rhs.values.includes(v);
    case 'regex':
      return compileRe2(rhs.source, true).test(v);
  }
}

function matchComparison(node: Comparison, s: SeriesIdentity): boolean {
  const raw = selectValue(node.sel, s);
  const v = raw ?? '';
  switch (node.cmp) {
    case '=':
      return raw !== undefined && matchRhs(v, node.rhs);
    case '!=':
      return !(raw !== undefined && matchRhs(v, node.rhs));
    case '=~':
    case '!~': {
      const hit = raw !== undefined && compileRe2(String((node.rhs as { value: string }).value), false).test(v);
      return node.cmp === '=~' ? hit : !hit;
    }
    case ':':
      throw new UnsupportedFilterError('the ":" (has) operator is not modelled');
    default: {
      const n = Number(v);
      const r = (node.rhs as { value: number }).value;
      if (raw === undefined || v === '' || Number.isNaN(n)) return false;
      return node.cmp === '<' ? n < r : node.cmp === '<=' ? n <= r : node.cmp === '>' ? n > r : n >= r;
    }
  }
}

/** Whether the series matches; throws UnsupportedFilterError on a node listed by unsupportedNode. */
export function matchesFilter(node: FilterNode, s: SeriesIdentity): boolean {
  switch (node.op) {
    case 'AND':
      if (node.assumedPrecedence) throw new UnsupportedFilterError(unsupportedNode(node)!);
      return node.args.every((a) => matchesFilter(a, s));
    case 'OR':
      return node.args.some((a) => matchesFilter(a, s));
    case 'NOT':
      return !matchesFilter(node.arg, s);
    case 'cmp':
      return matchComparison(node, s);
  }
}
