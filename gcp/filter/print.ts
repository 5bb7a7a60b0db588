/**
 * A parsed Monitoring filter written back as text that parses to the same tree (source offsets aside): comparisons
 * in the compact form of Google's examples (`metric.type="…"`), numbers as written, label keys quoted only when they are not bare words,
 * strings with `\` and `"` escaped, and parentheses wherever the tree nests AND/OR, except the OR groups that the
 * assumed precedence formed in an AND/OR mix (`implicitGroup`), which are printed without them as they were read, so
 * that the mix stays a mix and an OR the source parenthesised inside it keeps its parentheses.
 */
import type { Comparison, FilterNode, ParsedFilter, Rhs, Selector } from './ast';
import { isBareLabelKey } from './label-key';

const quote = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * A number as its source wrote it; one without its text (or whose value was changed since) in the tokenizer's form
 * `-?\d+(\.\d+)?`: String(n), its exponent (`1e-21`, `1.2e+23`) written out digit for digit.
 */
function printNumber(n: number, text: string | undefined): string {
  if (text !== undefined && Number(text) === n) return text;
  const exp = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(String(n));
  if (!exp) return String(n);
  const [, sign, lead, rest = '', power] = exp;
  const digits = lead + rest;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return point >= digits.length ? sign + digits + '0'.repeat(point - digits.length) : `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const key = (k: string): string => (isBareLabelKey(k) ? k : `"${k}"`);

function printSelector(sel: Selector): string {
  switch (sel.kind) {
    case 'metric.type':
    case 'resource.type':
    case 'project':
    case 'group.id':
      return sel.kind;
    case 'metric.label':
      return `metric.labels.${key(sel.key)}`;
    case 'resource.label':
      return `resource.labels.${key(sel.key)}`;
    case 'metadata.system_label':
      return `metadata.system_labels.${key(sel.key)}`;
    case 'metadata.user_label':
      return `metadata.user_labels.${key(sel.key)}`;
  }
}

function printRhs(rhs: Rhs): string {
  switch (rhs.fn) {
    case 'eq':
      return typeof rhs.value === 'number' ? printNumber(rhs.value, rhs.text) : quote(rhs.value);
    case 'starts_with':
    case 'ends_with':
    case 'has_substring':
      return `${rhs.fn}(${quote(rhs.value)})`;
    case 'one_of':
      return `one_of(${rhs.values.map(quote).join(', ')})`;
    case 'regex':
      return `monitoring.regex.full_match(${quote(rhs.source)})`;
  }
}

const printComparison = (c: Comparison): string => `${printSelector(c.sel)}${c.cmp}${printRhs(c.rhs)}`;

function printNode(node: FilterNode): string {
  switch (node.op) {
    case 'cmp':
      return printComparison(node);
    case 'NOT':
      return `NOT ${printTerm(node.arg)}`;
    case 'AND':
    case 'OR':
      return node.args.map((a) => (node.assumedPrecedence && a.op === 'OR' && a.implicitGroup ? printNode(a) : printTerm(a))).join(` ${node.op} `);
  }
}

/** A node standing as one term: an AND or OR in parentheses. */
const printTerm = (node: FilterNode): string => (node.op === 'AND' || node.op === 'OR' ? `(${printNode(node)})` : printNode(node));

/** The filter as text; parseFilter(printFilter(t)) is t, source offsets aside. */
export function printFilter(filter: ParsedFilter): string {
  if (filter.op === 'slo') return `${filter.selector}(${[filter.name, ...(filter.lookback !== undefined ? [filter.lookback] : [])].map(quote).join(', ')})`;
  return printNode(filter);
}
