/**
 * RE2 -> JavaScript RegExp translation.
 *
 * The Logging query language (`=~`, `!~`) and the log-based metric extractors (`REGEXP_EXTRACT`) use RE2 syntax:
 * https://cloud.google.com/logging/docs/view/logging-query-language#regular-expressions ("The Logging query language
 * uses the RE2 syntax"), syntax reference https://github.com/google/re2/wiki/Syntax.
 *
 * RE2 and JS regexes share most syntax but not all of it. This module walks the pattern once, rewrites what differs
 * (e.g. `\s`, `\A`, `\z`, `\Q…\E`, `(?P<name>…)`, POSIX classes, `\x{…}`) and REJECTS what RE2 does not accept
 * (lookarounds, backreferences, atomic groups, possessive quantifiers, `\Z`, …) instead of letting JS silently accept a
 * pattern that Cloud Logging would refuse. The result is compiled with the `u` flag so that `.` and classes work on
 * code points, as RE2 does on UTF-8.
 */

export class RegexSyntaxError extends Error {
  /** Offset in the pattern (0-based) where the problem was found. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'RegexSyntaxError';
    this.offset = offset;
  }
}

export interface TranslatedRegex {
  /** The RE2 pattern as written. */
  re2: string;
  /** The equivalent JS RegExp (flag `u`, plus `i`/`m`/`s` from a leading `(?flags)`). */
  regex: RegExp;
  /** Number of capturing groups (named and unnamed), needed by REGEXP_EXTRACT ("exactly one capture group"). */
  captureGroups: number;
}

/** RE2's \s is [\t\n\f\r ] (no \v, no Unicode spaces), unlike JS's \s. https://github.com/google/re2/wiki/Syntax */
const RE2_SPACE = '\\t\\n\\f\\r ';

/** POSIX classes RE2 accepts inside brackets, `[[:alpha:]]`. https://github.com/google/re2/wiki/Syntax */
const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Characters that need a backslash to be literal in a JS `u` regex (outside a class). */
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
/** RE2 allows any ASCII punctuation to be escaped. */
const ASCII_PUNCT = /^[!-/:-@[-`{-~]$/;
/** RE2's maximum repeat count. */
const MAX_REPEAT = 1000;

function codePointEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** `\p{Greek}` is a script in RE2; JS needs `\p{Script=Greek}`. One/two-letter names are general categories. */
function unicodeClass(name: string, negated: boolean, offset: number): string {
  let neg = negated;
  let n = name;
  if (n.startsWith('^')) {
    neg = !neg;
    n = n.slice(1);
  }
  if (!/^[A-Za-z_]+$/.test(n)) throw new RegexSyntaxError(`invalid Unicode class name "${name}"`, offset);
  const prop = /^[A-Z][a-z]?$/.test(n) || n === 'Any' ? n : `Script=${n}`;
  const js = `\\${neg ? 'P' : 'p'}{${prop}}`;
  try {
    new RegExp(js, 'u');
  } catch {
    throw new RegexSyntaxError(`unknown Unicode class \\p{${name}}`, offset);
  }
  return js;
}

class Translator {
  private i = 0;
  private out = '';
  private groups = 0;
  private depth = 0;
  private flags = new Set<string>(['u']);

  constructor(private readonly p: string) {}

  run(): TranslatedRegex {
    this.leadingFlags();
    while (this.i < this.p.length) this.atom();
    if (this.depth > 0) throw new RegexSyntaxError('missing closing )', this.p.length);
    let regex: RegExp;
    const flags = [...this.flags].sort().join('');
    try {
      regex = new RegExp(this.out, flags);
    } catch (err) {
      // Anything JS rejects after translation (e.g. "nothing to repeat") is also invalid RE2.
      throw new RegexSyntaxError(`invalid regular expression: ${(err as Error).message}`, 0);
    }
    return { re2: this.p, regex, captureGroups: this.groups };
  }

  private fail(message: string, at = this.i): never {
    throw new RegexSyntaxError(message, at);
  }

  /** RE2 `(?i)`, `(?s)`, `(?m)` as a prefix of the whole pattern map to JS flags. `(?U)` (ungreedy) has no JS twin. */
  private leadingFlags(): void {
    for (;;) {
      const m = /^\(\?([a-zA-Z]+)\)/.exec(this.p.slice(this.i));
      if (!m) return;
      for (const f of m[1]) {
        if (f === 'i' || f === 'm' || f === 's') this.flags.add(f);
        else if (f === 'U') this.fail('the RE2 flag (?U) (ungreedy) is not supported by this evaluator');
        else this.fail(`unknown regex flag "${f}" in (?${m[1]})`);
      }
      this.i += m[0].length;
    }
  }

  private atom(): void {
    const c = this.p[this.i];
    switch (c) {
      case '\\':
        this.out += this.escape(false);
        return;
      case '[':
        this.charClass();
        return;
      case '(':
        this.groupOpen();
        return;
      case ')':
        if (this.depth === 0) this.fail('unexpected ) (no group is open)');
        this.depth--;
        this.out += ')';
        this.i++;
        return;
      case '*':
      case '+':
      case '?':
        this.out += c;
        this.i++;
        this.quantifierSuffix();
        return;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
        if (!m) {
          // RE2 treats a `{` that does not start a valid repetition as a literal.
          this.out += '\\{';
          this.i++;
          return;
        }
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
        if (min > MAX_REPEAT || (max !== undefined && max > MAX_REPEAT)) this.fail(`bad repetition count in ${m[0]} (RE2 allows at most ${MAX_REPEAT})`);
        if (max !== undefined && max < min) this.fail(`bad repetition range ${m[0]}`);
        this.out += m[0];
        this.i += m[0].length;
        this.quantifierSuffix();
        return;
      }
      case '}':
      case ']':
        this.out += `\\${c}`;
        this.i++;
        return;
      default:
        this.out += c;
        this.i++;
    }
  }

  /** After a quantifier: `?` (non-greedy) is RE2; `+` (possessive) is not. */
  private quantifierSuffix(): void {
    const n = this.p[this.i];
    if (n === '?') {
      this.out += '?';
      this.i++;
    } else if (n === '+') {
      this.fail('possessive quantifiers (e.g. a*+) are not supported by RE2');
    }
  }

  private groupOpen(): void {
    const rest = this.p.slice(this.i);
    if (!rest.startsWith('(?')) {
      this.groups++;
      this.depth++;
      this.out += '(';
      this.i++;
      return;
    }
    if (rest.startsWith('(?:')) {
      this.depth++;
      this.out += '(?:';
      this.i += 3;
      return;
    }
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named) {
      this.groups++;
      this.depth++;
      this.out += `(?<${named[1]}>`;
      this.i += named[0].length;
      return;
    }
    if (rest.startsWith('(?=') || rest.startsWith('(?!')) this.fail('lookahead (?= / (?! is not supported by RE2');
    if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) this.fail('lookbehind (?<= / (?<! is not supported by RE2');
    if (rest.startsWith('(?>')) this.fail('atomic groups (?> are not supported by RE2');
    if (rest.startsWith('(?P=') || rest.startsWith('(?P>')) this.fail('backreferences / recursion (?P= are not supported by RE2');
    if (/^\(\?-?[a-zA-Z]+(-[a-zA-Z]+)?[:)]/.test(rest)) {
      this.fail('inline flags are only supported as a prefix of the whole pattern, e.g. "(?i)foo"');
    }
    this.fail(`unsupported group syntax "${rest.slice(0, 4)}"`);
  }

  /** Translates one escape starting at `\`. Returns the JS text. */
  private escape(inClass: boolean): string {
    const start = this.i;
    const c = this.p[this.i + 1];
    if (c === undefined) this.fail('trailing backslash at end of pattern');
    this.i += 2;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return `\\${c}`;
      case 's':
        return inClass ? RE2_SPACE : `[${RE2_SPACE}]`;
      case 'S':
        // Inside a class JS cannot negate a set without the `v` flag; JS `\S` differs from RE2 only for \v and
        // Unicode spaces, which do not occur in the app's logs.
        return inClass ? '\\S' : `[^${RE2_SPACE}]`;
      case 'b':
      case 'B':
        if (inClass) this.fail('\\b inside a character class is not supported by RE2', start);
        return `\\${c}`;
      case 'A':
        if (inClass) this.fail('\\A inside a character class is invalid', start);
        return '(?<![\\s\\S])';
      case 'z':
        if (inClass) this.fail('\\z inside a character class is invalid', start);
        return '(?![\\s\\S])';
      case 'a':
        return '\\x07';
      case 'f':
        return '\\f';
      case 't':
        return '\\t';
      case 'n':
        return '\\n';
      case 'r':
        return '\\r';
      case 'v':
        return '\\v';
      case 'x': {
        const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(this.p.slice(this.i));
        if (braced) {
          this.i += braced[0].length;
          const cp = parseInt(braced[1], 16);
          if (cp > 0x10ffff) this.fail(`\\x{${braced[1]}} is beyond the Unicode range`, start);
          return codePointEscape(cp);
        }
        const two = /^[0-9A-Fa-f]{2}/.exec(this.p.slice(this.i));
        if (!two) this.fail('invalid \\x escape (expected \\xHH or \\x{H…})', start);
        this.i += 2;
        return codePointEscape(parseInt(two[0], 16));
      }
      case 'p':
      case 'P': {
        const braced = /^\{([^}]*)\}/.exec(this.p.slice(this.i));
        if (braced) {
          this.i += braced[0].length;
          return unicodeClass(braced[1], c === 'P', start);
        }
        const one = this.p[this.i];
        if (!one || !/[A-Za-z]/.test(one)) this.fail(`invalid \\${c} escape`, start);
        this.i++;
        return unicodeClass(one, c === 'P', start);
      }
      case 'Q': {
        // \Q...\E: literal text.
        const end = this.p.indexOf('\\E', this.i);
        const lit = end < 0 ? this.p.slice(this.i) : this.p.slice(this.i, end);
        this.i = end < 0 ? this.p.length : end + 2;
        return [...lit].map((ch) => this.literal(ch, inClass)).join('');
      }
      case '0': {
        // RE2: \0 followed by up to two more octal digits.
        const m = /^[0-7]{0,2}/.exec(this.p.slice(this.i))!;
        this.i += m[0].length;
        return codePointEscape(parseInt(`0${m[0]}`, 8));
      }
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        // RE2: "\1" alone is a backreference (unsupported); "\12" / "\123" is an octal character code.
        const m = /^[0-7]{1,2}/.exec(this.p.slice(this.i));
        if (!m) this.fail(`backreferences (\\${c}) are not supported by RE2`, start);
        this.i += m[0].length;
        return codePointEscape(parseInt(c + m[0], 8));
      }
      case '8':
      case '9':
        this.fail(`backreferences (\\${c}) are not supported by RE2`, start);
        break;
      case 'k':
      case 'g':
        this.fail(`backreferences (\\${c}) are not supported by RE2`, start);
        break;
      case 'Z':
        this.fail('\\Z is not supported by RE2 (use \\z or $)', start);
        break;
      case 'C':
        this.fail('\\C (any byte) is not supported by this evaluator', start);
        break;
      default:
        if (ASCII_PUNCT.test(c)) return this.literal(c, inClass);
        this.fail(`invalid escape sequence \\${c} (not RE2)`, start);
    }
    return ''; // unreachable: every failing branch throws
  }

  /** A literal character in JS `u` syntax. */
  private literal(ch: string, inClass: boolean): string {
    if (inClass) return '\\^-[]'.includes(ch) || JS_SYNTAX.has(ch) ? `\\${ch}` : ch;
    return JS_SYNTAX.has(ch) ? `\\${ch}` : ch;
  }

  private charClass(): void {
    const start = this.i;
    this.i++;
    let out = '[';
    if (this.p[this.i] === '^') {
      out += '^';
      this.i++;
    }
    // RE2 (like POSIX) treats a `]` right after `[` or `[^` as a literal.
    if (this.p[this.i] === ']') {
      out += '\\]';
      this.i++;
    }
    for (;;) {
      const c = this.p[this.i];
      if (c === undefined) this.fail('missing closing ] of character class', start);
      if (c === ']') {
        out += ']';
        this.i++;
        break;
      }
      if (c === '[' && this.p[this.i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i));
        if (!m) this.fail('invalid POSIX class (expected [:name:])');
        if (m[1]) this.fail(`negated POSIX class [:^${m[2]}:] is not supported by this evaluator`);
        const ranges = POSIX_CLASSES[m[2]];
        if (!ranges) this.fail(`unknown POSIX class [:${m[2]}:]`);
        out += ranges;
        this.i += m[0].length;
        continue;
      }
      if (c === '\\') {
        out += this.escape(true);
        continue;
      }
      out += c === '[' ? '\\[' : c;
      this.i++;
    }
    this.out += out;
  }
}

/**
 * Translates an RE2 pattern to a JS RegExp, throwing {@link RegexSyntaxError} for syntax RE2 rejects or this evaluator
 * cannot reproduce.
 */
export function translateRe2(pattern: string): TranslatedRegex {
  return new Translator(pattern).run();
}
