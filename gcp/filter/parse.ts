/**
 * The one parser of Cloud Monitoring filters (gcp-facts §2.1; https://cloud.google.com/monitoring/api/v3/filters):
 *  - selectors `project`, `group.id`, `metric.type`, `resource.type`, `metric.label(s).KEY`, `resource.label(s).KEY`,
 *    `metadata.system_labels.KEY`, `metadata.user_labels.KEY` (KEY bare as label-key.ts allows, or quoted);
 *  - comparators `=`, `!=`, `:` (has), `=~`/`!~` (regular expression), and `<`, `<=`, `>`, `>=` on numbers;
 *  - right-hand sides: a quoted string (Google's examples always quote; a bare word is refused), a number, or `starts_with`, `ends_with`, `has_substring`,
 *    `one_of`, `monitoring.regex.full_match`;
 *  - `AND`, `OR`, `NOT` (upper case), implicit AND by juxtaposition, parentheses; AND and OR mixed at one level are
 *    parsed with OR binding tighter (AIP-160) and the nodes say so (`assumedPrecedence` on the AND, `implicitGroup` on
 *    the ORs it formed, so that an OR written in parentheses stays told apart);
 *  - an SLO selector `select_slo_NAME("SLO"[, "LOOKBACK"])` as the whole filter.
 */
import type { Comparator, FilterNode, ParsedFilter, Rhs, Selector, SloSelector } from './ast';
import { LABEL_KEY } from './label-key';

/** A filter that is not valid syntax; `offset` points into the source. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

interface Token {
  t: 'word' | 'string' | 'number' | 'op' | '(' | ')' | ',';
  v: string;
  pos: number;
}

const TWO_CHAR_OPS = new Set(['!=', '<=', '>=', '=~', '!~']);
const ONE_CHAR_OPS = new Set(['=', '<', '>', ':']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c, pos: i++ });
      continue;
    }
    if (c === '"') {
      const start = i;
      let s = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length) {
          s += src[i + 1];
          i += 2;
        } else s += src[i++];
      }
      if (i >= src.length) throw new FilterSyntaxError(`unterminated string starting at offset ${start}`, start);
      out.push({ t: 'string', v: s, pos: start });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      out.push({ t: 'op', v: two, pos: i });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      out.push({ t: 'op', v: c, pos: i++ });
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?(?![\w.])/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'number', v: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    // A dotted word; a segment may be a quoted label key (`metric.labels."my-key"`).
    const word = /^[A-Za-z_][\w\-/]*(?:\.(?:[A-Za-z_*][\w\-/]*|"[^"]*"))*/.exec(src.slice(i));
    if (word) {
      out.push({ t: 'word', v: word[0], pos: i });
      i += word[0].length;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character ${JSON.stringify(c)} at offset ${i}`, i);
  }
  return out;
}

const LABELED = new RegExp(`^(metric|resource)\\.labels?\\.(?:"([^"]*)"|(${LABEL_KEY}))$`);
const METADATA = new RegExp(`^metadata\\.(system_labels|user_labels)\\.(?:"([^"]*)"|(${LABEL_KEY}))$`);

function selectorOf(tok: Token): Selector | undefined {
  switch (tok.v) {
    case 'metric.type':
    case 'resource.type':
    case 'project':
    case 'group.id':
      return { kind: tok.v };
  }
  const l = LABELED.exec(tok.v);
  if (l) return { kind: l[1] === 'metric' ? 'metric.label' : 'resource.label', key: l[2] ?? l[3] };
  const m = METADATA.exec(tok.v);
  if (m) return { kind: m[1] === 'system_labels' ? 'metadata.system_label' : 'metadata.user_label', key: m[2] ?? m[3] };
  return undefined;
}

const FUNCTIONS = new Set(['starts_with', 'ends_with', 'has_substring', 'one_of', 'monitoring.regex.full_match']);

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
  ) {}

  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private next(what: string): Token {
    const t = this.toks[this.i++];
    if (!t) throw new FilterSyntaxError(`unexpected end of filter: expected ${what}`, this.src.length);
    return t;
  }

  parse(): ParsedFilter {
    const first = this.peek();
    if (first?.t === 'word' && first.v.startsWith('select_slo_')) return this.slo();
    const node = this.expr();
    const rest = this.peek();
    if (rest) throw new FilterSyntaxError(`unexpected ${JSON.stringify(rest.v)} at offset ${rest.pos}`, rest.pos);
    return node;
  }

  private slo(): SloSelector {
    const name = this.next('an SLO selector');
    if (this.next('"("').t !== '(') throw new FilterSyntaxError(`expected "(" after ${name.v}`, name.pos);
    const args: string[] = [];
    for (;;) {
      const a = this.next('a quoted argument');
      if (a.t !== 'string') throw new FilterSyntaxError(`${name.v}() takes quoted arguments (offset ${a.pos})`, a.pos);
      args.push(a.v);
      const sep = this.next('"," or ")"');
      if (sep.t === ')') break;
      if (sep.t !== ',') throw new FilterSyntaxError(`expected "," or ")" at offset ${sep.pos}`, sep.pos);
    }
    const rest = this.peek();
    if (rest) throw new FilterSyntaxError(`an SLO selector is the whole filter; unexpected ${JSON.stringify(rest.v)} at offset ${rest.pos}`, rest.pos);
    if (args.length > 2) throw new FilterSyntaxError(`${name.v}() takes at most two arguments`, name.pos);
    return { op: 'slo', selector: name.v, name: args[0], ...(args[1] !== undefined ? { lookback: args[1] } : {}) };
  }

  /** A run of terms joined by AND, OR or juxtaposition (implicit AND). */
  private expr(): FilterNode {
    const terms: FilterNode[] = [this.unary()];
    const ops: Array<'AND' | 'OR'> = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.t === ')') break;
      if (t.t === 'word' && (t.v === 'AND' || t.v === 'OR')) {
        ops.push(t.v);
        this.i++;
      } else {
        if (t.t === 'word' && /^(and|or)$/i.test(t.v)) throw new FilterSyntaxError(`logical operator "${t.v}" at offset ${t.pos} must be upper case`, t.pos);
        ops.push('AND');
      }
      terms.push(this.unary());
    }
    if (terms.length === 1) return terms[0];
    const mixed = ops.includes('AND') && ops.includes('OR');
    // OR binds tighter: split the run at its ANDs, each piece an OR of its terms.
    const groups: FilterNode[][] = [[terms[0]]];
    ops.forEach((op, k) => (op === 'OR' ? groups[groups.length - 1].push(terms[k + 1]) : groups.push([terms[k + 1]])));
    const ors = groups.map((g): FilterNode => (g.length === 1 ? g[0] : mixed ? { op: 'OR', args: g, implicitGroup: true } : { op: 'OR', args: g }));
    if (ors.length === 1) return ors[0];
    return mixed ? { op: 'AND', args: ors, assumedPrecedence: true } : { op: 'AND', args: ors };
  }

  private unary(): FilterNode {
    const t = this.next('a term');
    if (t.t === 'word' && t.v === 'NOT') return { op: 'NOT', arg: this.unary() };
    if (t.t === 'word' && /^not$/i.test(t.v)) throw new FilterSyntaxError(`logical operator "${t.v}" at offset ${t.pos} must be upper case`, t.pos);
    if (t.t === '(') {
      const inner = this.expr();
      const r = this.next('")"');
      if (r.t !== ')') throw new FilterSyntaxError(`expected ")" at offset ${r.pos}`, r.pos);
      return inner;
    }
    if (t.t !== 'word') throw new FilterSyntaxError(`expected a selector at offset ${t.pos}, got ${JSON.stringify(t.v)}`, t.pos);
    const sel = selectorOf(t);
    if (!sel) {
      throw new FilterSyntaxError(
        `unknown selector "${t.v}" at offset ${t.pos} (selectors: project, group.id, metric.type, resource.type, metric.labels.KEY, resource.labels.KEY, metadata.system_labels.KEY, metadata.user_labels.KEY)`,
        t.pos,
      );
    }
    const opTok = this.next(`an operator after "${t.v}"`);
    if (opTok.t !== 'op') throw new FilterSyntaxError(`expected an operator after "${t.v}" at offset ${opTok.pos}`, opTok.pos);
    const cmp = opTok.v as Comparator;
    const rhs = this.rhs();
    if ((cmp === '<' || cmp === '<=' || cmp === '>' || cmp === '>=') && !(rhs.fn === 'eq' && typeof rhs.value === 'number')) {
      throw new FilterSyntaxError(`operator "${cmp}" at offset ${opTok.pos} needs a numeric right-hand side`, opTok.pos);
    }
    if ((cmp === '=~' || cmp === '!~') && !(rhs.fn === 'eq' && typeof rhs.value === 'string')) {
      throw new FilterSyntaxError(`operator "${cmp}" at offset ${opTok.pos} takes a quoted regular expression`, opTok.pos);
    }
    if ((sel.kind === 'metric.type' || sel.kind === 'resource.type') && !['=', '!=', ':'].includes(cmp)) {
      throw new FilterSyntaxError(`operator "${cmp}" is not valid on ${sel.kind} (offset ${opTok.pos})`, opTok.pos);
    }
    return { op: 'cmp', sel, cmp, rhs, pos: t.pos };
  }

  private rhs(): Rhs {
    const t = this.next('a value');
    if (t.t === 'string') return { fn: 'eq', value: t.v, quoted: true };
    if (t.t === 'number') return { fn: 'eq', value: Number(t.v), quoted: false, text: t.v };
    if (t.t === 'word' && FUNCTIONS.has(t.v) && this.peek()?.t === '(') {
      this.i++;
      const args: string[] = [];
      for (;;) {
        const a = this.next('a quoted argument');
        if (a.t !== 'string') throw new FilterSyntaxError(`${t.v}() takes quoted string arguments (offset ${a.pos})`, a.pos);
        args.push(a.v);
        const sep = this.next('"," or ")"');
        if (sep.t === ')') break;
        if (sep.t !== ',') throw new FilterSyntaxError(`expected "," or ")" at offset ${sep.pos}`, sep.pos);
      }
      if (t.v === 'one_of') return { fn: 'one_of', values: args };
      if (args.length !== 1) throw new FilterSyntaxError(`${t.v}() takes exactly one argument (offset ${t.pos})`, t.pos);
      if (t.v === 'monitoring.regex.full_match') return { fn: 'regex', source: args[0] };
      return { fn: t.v as 'starts_with' | 'ends_with' | 'has_substring', value: args[0] };
    }
    throw new FilterSyntaxError(
      `unsupported right-hand side ${JSON.stringify(t.v)} at offset ${t.pos} (expected a quoted string, a number or one of ${[...FUNCTIONS].join(', ')})`,
      t.pos,
    );
  }
}

const cache = new Map<string, ParsedFilter>();

/** Parses a Monitoring filter or SLO selector; throws FilterSyntaxError with the reason and offset. Memoized. */
export function parseFilter(filter: string): ParsedFilter {
  const hit = cache.get(filter);
  if (hit) return hit;
  if (!filter.trim()) throw new FilterSyntaxError('empty filter', 0);
  const parsed = new Parser(filter, tokenize(filter)).parse();
  if (cache.size > 10_000) cache.clear();
  cache.set(filter, parsed);
  return parsed;
}

/** Parses a time-series filter; an SLO selector here is an error. */
export function parseSeriesFilter(filter: string): FilterNode {
  const parsed = parseFilter(filter);
  if (parsed.op === 'slo') throw new FilterSyntaxError(`${parsed.selector}(…) is an SLO selector, not a time-series filter`, 0);
  return parsed;
}
