/**
 * Cloud Monitoring time-series filter parser and matcher.
 *
 * Syntax per https://cloud.google.com/monitoring/api/v3/filters (gcp-facts §2.1):
 *  - selectors `metric.type`, `resource.type`, `resource.label(s).KEY`, `metric.label(s).KEY` (KEY may be quoted),
 *    `project` (matched against resource.labels.project_id);
 *  - operators `=`, `!=`, and `<`, `<=`, `>`, `>=` on numeric labels;
 *  - right-hand functions `starts_with("…")`, `ends_with("…")`, `has_substring("…")`, `one_of("a", …)`,
 *    `monitoring.regex.full_match("…")` (RE2, translated by tools/logging-query/re2.ts, anchored on both ends);
 *  - `AND`, `OR`, `NOT`, implicit AND (juxtaposition), parentheses.
 * Anything else (the `:` operator, `group.id`, `metadata.*`, bare words, lower-case keywords) is an explicit error.
 * The page does not state the relative precedence of AND and OR, so mixing them at one level without parentheses is
 * rejected as ambiguous instead of guessed.
 */
import { FilterError } from './errors';
import { translateRe2 } from '../logging-query/re2';

export type Selector =
  | { kind: 'metric.type' }
  | { kind: 'resource.type' }
  | { kind: 'project' }
  | { kind: 'metric.label'; key: string }
  | { kind: 'resource.label'; key: string };

export type Rhs =
  | { fn: 'eq'; value: string | number }
  | { fn: 'starts_with' | 'ends_with' | 'has_substring'; value: string }
  | { fn: 'one_of'; values: string[] }
  | { fn: 'regex'; re: RegExp; source: string };

export type FilterNode =
  | { op: 'AND' | 'OR'; args: FilterNode[] }
  | { op: 'NOT'; arg: FilterNode }
  | { op: 'cmp'; sel: Selector; cmp: '=' | '!=' | '<' | '<=' | '>' | '>='; rhs: Rhs };

interface Token {
  t: 'ident' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma';
  v: string;
  pos: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(') { out.push({ t: 'lparen', v: c, pos: i }); i++; continue; }
    if (c === ')') { out.push({ t: 'rparen', v: c, pos: i }); i++; continue; }
    if (c === ',') { out.push({ t: 'comma', v: c, pos: i }); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) { s += src[j + 1]; j += 2; continue; }
        s += src[j++];
      }
      if (j >= src.length) throw new FilterError(`unterminated string starting at offset ${i}`);
      out.push({ t: 'string', v: s, pos: i });
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=') { out.push({ t: 'op', v: two, pos: i }); i += 2; continue; }
    if (c === '=' || c === '<' || c === '>' || c === ':') { out.push({ t: 'op', v: c, pos: i }); i++; continue; }
    const num = /^-?\d+(\.\d+)?(?![\w.])/.exec(src.slice(i));
    if (num) { out.push({ t: 'number', v: num[0], pos: i }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][\w\-/]*(?:\.(?:[A-Za-z_*][\w\-/]*|"[^"]*"))*/.exec(src.slice(i));
    if (id) { out.push({ t: 'ident', v: id[0], pos: i }); i += id[0].length; continue; }
    throw new FilterError(`unexpected character ${JSON.stringify(c)} at offset ${i}`);
  }
  return out;
}

function parseSelector(tok: Token): Selector {
  const raw = tok.v;
  if (raw === 'metric.type') return { kind: 'metric.type' };
  if (raw === 'resource.type') return { kind: 'resource.type' };
  if (raw === 'project') return { kind: 'project' };
  const m = /^(metric|resource)\.labels?\.(?:"([^"]*)"|([A-Za-z_][\w-]*))$/.exec(raw);
  if (m) return { kind: m[1] === 'metric' ? 'metric.label' : 'resource.label', key: m[2] ?? m[3] };
  throw new FilterError(`unsupported selector "${raw}" at offset ${tok.pos} (supported: metric.type, resource.type, project, metric.label(s).KEY, resource.label(s).KEY)`);
}

const FUNCS = new Set(['starts_with', 'ends_with', 'has_substring', 'one_of', 'monitoring.regex.full_match']);

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token | undefined { return this.toks[this.i]; }
  private next(): Token {
    const t = this.toks[this.i++];
    if (!t) throw new FilterError('unexpected end of filter');
    return t;
  }

  parse(): FilterNode {
    const n = this.expr();
    const t = this.peek();
    if (t) throw new FilterError(`unexpected ${JSON.stringify(t.v)} at offset ${t.pos}`);
    return n;
  }

  /** expr := unary { [AND|OR] unary } with AND/OR not mixed at one level. */
  private expr(): FilterNode {
    const args = [this.unary()];
    let op: 'AND' | 'OR' | undefined;
    for (;;) {
      const t = this.peek();
      if (!t || t.t === 'rparen') break;
      let thisOp: 'AND' | 'OR' = 'AND';
      if (t.t === 'ident' && (t.v === 'AND' || t.v === 'OR')) { thisOp = t.v; this.i++; }
      else if (t.t === 'ident' && /^(and|or|not)$/i.test(t.v) && t.v !== 'NOT') {
        throw new FilterError(`logical operator "${t.v}" at offset ${t.pos} must be upper case`);
      }
      if (op && op !== thisOp) {
        throw new FilterError(`AND and OR mixed without parentheses at offset ${t.pos}; the precedence is not documented, add parentheses`);
      }
      op = thisOp;
      args.push(this.unary());
    }
    return args.length === 1 ? args[0] : { op: op ?? 'AND', args };
  }

  private unary(): FilterNode {
    const t = this.next();
    if (t.t === 'ident' && t.v === 'NOT') return { op: 'NOT', arg: this.unary() };
    if (t.t === 'ident' && t.v === 'not') throw new FilterError(`logical operator "not" at offset ${t.pos} must be upper case`);
    if (t.t === 'lparen') {
      const e = this.expr();
      const r = this.next();
      if (r.t !== 'rparen') throw new FilterError(`expected ")" at offset ${r.pos}`);
      return e;
    }
    if (t.t !== 'ident') throw new FilterError(`expected a selector at offset ${t.pos}, got ${JSON.stringify(t.v)}`);
    const sel = parseSelector(t);
    const opTok = this.next();
    if (opTok.t !== 'op') throw new FilterError(`expected an operator after "${t.v}" at offset ${opTok.pos}`);
    if (opTok.v === ':') throw new FilterError(`the ":" (has) operator at offset ${opTok.pos} is not supported by the simulator`);
    const cmp = opTok.v as '=' | '!=' | '<' | '<=' | '>' | '>=';
    const rhs = this.rhs();
    if ((cmp === '<' || cmp === '<=' || cmp === '>' || cmp === '>=') && !(rhs.fn === 'eq' && typeof rhs.value === 'number')) {
      throw new FilterError(`operator "${cmp}" at offset ${opTok.pos} needs a numeric right-hand side`);
    }
    if ((sel.kind === 'metric.type' || sel.kind === 'resource.type') && cmp !== '=' && cmp !== '!=') {
      throw new FilterError(`operator "${cmp}" is not valid on ${sel.kind}`);
    }
    return { op: 'cmp', sel, cmp, rhs };
  }

  private rhs(): Rhs {
    const t = this.next();
    if (t.t === 'string') return { fn: 'eq', value: t.v };
    if (t.t === 'number') return { fn: 'eq', value: Number(t.v) };
    if (t.t === 'ident' && FUNCS.has(t.v)) {
      const lp = this.next();
      if (lp.t !== 'lparen') throw new FilterError(`expected "(" after ${t.v} at offset ${lp.pos}`);
      const args: string[] = [];
      for (;;) {
        const a = this.next();
        if (a.t !== 'string') throw new FilterError(`${t.v}() takes quoted string arguments (offset ${a.pos})`);
        args.push(a.v);
        const sep = this.next();
        if (sep.t === 'rparen') break;
        if (sep.t !== 'comma') throw new FilterError(`expected "," or ")" at offset ${sep.pos}`);
      }
      if (t.v === 'one_of') return { fn: 'one_of', values: args };
      if (args.length !== 1) throw new FilterError(`${t.v}() takes exactly one argument`);
      if (t.v === 'monitoring.regex.full_match') {
        let re: RegExp;
        try {
          // RE2 syntax translated by the shared translator (rejects what RE2 rejects), then anchored: full match.
          const tr = translateRe2(args[0]).regex;
          re = new RegExp(`^(?:${tr.source})$`, tr.flags);
        } catch (e) {
          throw new FilterError(`invalid RE2 regular expression ${JSON.stringify(args[0])}: ${(e as Error).message}`);
        }
        return { fn: 'regex', re, source: args[0] };
      }
      return { fn: t.v as 'starts_with' | 'ends_with' | 'has_substring', value: args[0] };
    }
    throw new FilterError(`unsupported right-hand side ${JSON.stringify(t.v)} at offset ${t.pos} (expected a quoted string, a number or one of ${[...FUNCS].join(', ')})`);
  }
}

const cache = new Map<string, FilterNode>();

/** Parse a monitoring filter; throws FilterError with the reason. */
export function parseMonitoringFilter(filter: string): FilterNode {
  const hit = cache.get(filter);
  if (hit) return hit;
  if (!filter.trim()) throw new FilterError('empty filter');
  const node = new Parser(tokenize(filter)).parse();
  cache.set(filter, node);
  return node;
}

export interface SeriesIdentity {
  metric: { type: string; labels: Record<string, string> };
  resource: { type: string; labels: Record<string, string> };
}

function selectValue(sel: Selector, s: SeriesIdentity): string | undefined {
  switch (sel.kind) {
    case 'metric.type': return s.metric.type;
    case 'resource.type': return s.resource.type;
    case 'project': return s.resource.labels.project_id;
    case 'metric.label': return s.metric.labels[sel.key];
    case 'resource.label': return s.resource.labels[sel.key];
  }
}

function matchRhs(v: string, rhs: Rhs): boolean {
  switch (rhs.fn) {
    case 'eq': return typeof rhs.value === 'number' ? v !== '' && Number(v) === rhs.value : v === rhs.value;
    case 'starts_with': return v.startsWith(rhs.value);
    case 'ends_with': return v.endsWith(rhs.value);
    case 'has_substring': return v.includes(rhs.value);
    case 'one_of': return rhs.values.includes(v);
    case 'regex': return rhs.re.test(v);
  }
}

export function matchesFilter(node: FilterNode, s: SeriesIdentity): boolean {
  switch (node.op) {
    case 'AND': return node.args.every((a) => matchesFilter(a, s));
    case 'OR': return node.args.some((a) => matchesFilter(a, s));
    case 'NOT': return !matchesFilter(node.arg, s);
    case 'cmp': {
      const raw = selectValue(node.sel, s);
      const v = raw ?? '';
      if (node.cmp === '=') return raw !== undefined && matchRhs(v, node.rhs);
      if (node.cmp === '!=') return !(raw !== undefined && matchRhs(v, node.rhs));
      const n = Number(v);
      const r = (node.rhs as { value: number }).value;
      if (raw === undefined || v === '' || Number.isNaN(n)) return false;
      return node.cmp === '<' ? n < r : node.cmp === '<=' ? n <= r : node.cmp === '>' ? n > r : n >= r;
    }
  }
}

/** The metric types a filter pins with `metric.type = "…"` (used to pick ingestion delays and to validate). */
export function metricTypesOf(node: FilterNode): string[] {
  const out = new Set<string>();
  const walk = (n: FilterNode, negated: boolean): void => {
    if (n.op === 'AND' || n.op === 'OR') n.args.forEach((a) => walk(a, negated));
    else if (n.op === 'NOT') walk(n.arg, !negated);
    else if (n.op === 'cmp' && !negated && n.sel.kind === 'metric.type' && n.cmp === '=') {
      if (n.rhs.fn === 'eq') out.add(String(n.rhs.value));
      else if (n.rhs.fn === 'one_of') n.rhs.values.forEach((v) => out.add(v));
    }
  };
  walk(node, false);
  return [...out];
}
