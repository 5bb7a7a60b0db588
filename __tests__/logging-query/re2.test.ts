/**
 * RE2 -> JS translation (https://github.com/google/re2/wiki/Syntax): what differs is rewritten, what RE2 rejects is
 * rejected, so a pattern that Cloud Logging would refuse cannot pass the tests here.
 */
import { RegexSyntaxError, translateRe2 } from '../../gcp/logging-query';

const re = (p: string) => translateRe2(p).regex;

describe('translateRe2: accepted RE2 syntax', () => {
  it('leading flags (?i), (?s), (?m) become JS flags', () => {
    expect(re('(?i)foo').test('FOO')).toBe(true);
    expect(re('(?s)a.b').test('a\nb')).toBe(true);
    expect(re('a.b').test('a\nb')).toBe(false);
    expect(re('(?m)^b$').test('a\nb\nc')).toBe(true);
  });

  it("\\s is RE2's [\\t\\n\\f\\r ] (no \\v), \\S its complement", () => {
    expect(re('^\\s$').test('\v')).toBe(false);
    expect(re('^\\s$').test('\t')).toBe(true);
    expect(re('^\\S$').test('\u00a0')).toBe(true);
  });

  it('\\A and \\z anchor the text even under (?m)', () => {
    expect(re('(?m)\\Ab').test('a\nb')).toBe(false);
    expect(re('(?m)a\\z').test('a\nb')).toBe(false);
    expect(re('(?m)b\\z').test('a\nb')).toBe(true);
  });

  it('named groups (?P<name>…) count as capture groups; (?:…) does not', () => {
    expect(translateRe2('(?P<status>\\d+) (?:ms|s)').captureGroups).toBe(1);
    expect(re('(?P<status>\\d+)').exec('x 42')!.groups).toEqual({ status: '42' });
  });

  it('POSIX classes, a leading ] in a class, \\Q…\\E, \\x{…}, octal, Unicode classes', () => {
    expect(re('^[[:digit:]]+$').test('123')).toBe(true);
    expect(re('^[]a]+$').test(']a]')).toBe(true);
    expect(re('^\\Q.*+\\E$').test('.*+')).toBe(true);
    expect(re('^\\Q.*+\\E$').test('abc')).toBe(false);
    expect(re('^\\x{41}\\x42$').test('AB')).toBe(true);
    expect(re('^\\101$').test('A')).toBe(true);
    expect(re('^\\pL+$').test('Ωmega')).toBe(true);
    expect(re('^\\p{Greek}+$').test('Ωλ')).toBe(true);
    expect(re('^\\p{Greek}+$').test('ab')).toBe(false);
  });

  it('escaped punctuation and stray braces are literals, as in RE2', () => {
    expect(re('^\\[AuthService\\] \\:\\-$').test('[AuthService] :-')).toBe(true);
    expect(re('^a{,3}$').test('a{,3}')).toBe(true);
    expect(re('^x}$').test('x}')).toBe(true);
    expect(re('^a{2,3}$').test('aaa')).toBe(true);
  });
});

describe('translateRe2: rejected syntax', () => {
  it.each([
    ['(?=x)', /lookahead/],
    ['(?!x)', /lookahead/],
    ['(?<=x)y', /lookbehind/],
    ['(?<!x)y', /lookbehind/],
    ['(a)\\1', /backreferences/],
    ['(?P<n>a)\\k<n>', /backreferences/],
    ['(?>a)', /atomic/],
    ['a++', /possessive/],
    ['a{2}+', /possessive/],
    ['(?U)a+', /\(\?U\)/],
    ['a(?i)b', /only supported as a prefix/],
    ['(?i:a)', /only supported as a prefix/],
    ['a\\Z', /\\Z is not supported/],
    ['\\C', /any byte/],
    ['\\e', /invalid escape/],
    ['a{1001}', /at most 1000/],
    ['a{3,2}', /bad repetition range/],
    ['(a', /missing closing \)/],
    ['a)', /unexpected \)/],
    ['[[:^alpha:]]', /negated POSIX/],
    ['[[:foo:]]', /unknown POSIX class/],
    ['\\p{NotAScript}', /unknown Unicode class/],
    ['*a', /invalid regular expression/],
    ['abc\\', /trailing backslash/],
  ])('%s', (pattern, message) => {
    let caught: unknown;
    try {
      translateRe2(pattern);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RegexSyntaxError);
    expect((caught as Error).message).toMatch(message);
  });
});
