/**
 * The Logging query language evaluator, checked against the examples of
 * https://cloud.google.com/logging/docs/view/logging-query-language (section named in each `describe`) and against
 * the app's real log lines (__tests__/fixtures/vividly-api-logentries.jsonl, line map in its README).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FilterSyntaxError, matches, mayMatchFieldValue, parseFilter } from '../../gcp/logging-query';
import type { LogEntry } from '../../gcp/logging-query';
import { appTextEntry, printEntry, requestLogEntry } from '../support/log-entries';

const fixture: LogEntry[] = readFileSync(join(__dirname, '../fixtures/vividly-api-logentries.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

/** 1-based fixture line numbers matching a filter. */
const linesMatching = (filter: string) => fixture.flatMap((e, i) => (matches(filter, e) ? [i + 1] : []));

const text = (textPayload: string, extra: Partial<LogEntry> = {}): LogEntry => ({ textPayload, ...extra });
const json = (jsonPayload: Record<string, unknown>, extra: Partial<LogEntry> = {}): LogEntry => ({ jsonPayload, ...extra });

/** The error a filter raises (fails the test when it parses). */
function parseError(filter: string, name?: string): FilterSyntaxError {
  try {
    parseFilter(filter, { name });
  } catch (err) {
    if (err instanceof FilterSyntaxError) return err;
    throw err;
  }
  throw new Error(`expected a FilterSyntaxError for: ${filter}`);
}

describe('Overview example: resource.type = "gce_instance" AND severity >= "ERROR" AND NOT textPayload:robot', () => {
  const f = parseFilter('resource.type = "gce_instance" AND\nseverity >= "ERROR" AND\nNOT textPayload:robot');
  const gce = (severity: string, textPayload: string): LogEntry => ({ resource: { type: 'gce_instance' }, severity, textPayload });

  it('matches an ERROR entry without "robot"', () => expect(matches(f, gce('ERROR', 'disk full'))).toBe(true));
  it('excludes entries whose textPayload contains robot anywhere, in any case', () => {
    expect(matches(f, gce('CRITICAL', 'the Robots are coming'))).toBe(false);
  });
  it('excludes severities below ERROR and other resource types', () => {
    expect(matches(f, gce('WARNING', 'disk full'))).toBe(false);
    expect(matches(f, { resource: { type: 'gae_app' }, severity: 'ERROR', textPayload: 'x' })).toBe(false);
  });
});

describe('Boolean operators: precedence NOT > OR > AND', () => {
  // Docs: '"a" OR NOT "b" AND NOT "c" OR "d"' is equivalent to '("a" OR (NOT "b")) AND ((NOT "c") OR "d")'.
  const tokens = ['alpha', 'bravo', 'charlie', 'delta'];
  const docsForm = parseFilter('"alpha" OR NOT "bravo" AND NOT "charlie" OR "delta"');
  const explicit = parseFilter('("alpha" OR (NOT "bravo")) AND ((NOT "charlie") OR "delta")');

  it('agrees with the documented parenthesisation on all 16 combinations', () => {
    for (let mask = 0; mask < 16; mask++) {
      const entry = text(tokens.filter((_, i) => mask & (1 << i)).join(' ') || 'none');
      expect([mask, matches(docsForm, entry)]).toEqual([mask, matches(explicit, entry)]);
    }
  });

  it('differs from SQL-style precedence: "alpha charlie" does not match', () => {
    // With AND binding tighter it would be alpha OR (...) OR delta = true.
    expect(matches(docsForm, text('alpha charlie'))).toBe(false);
  });

  it('a AND b OR c means a AND (b OR c)', () => {
    const f = parseFilter('textPayload:x AND textPayload:y OR textPayload:z');
    expect(matches(f, text('x z'))).toBe(true);
    expect(matches(f, text('z'))).toBe(false);
  });

  it('omitted AND and "-" for NOT: a="b" c="d" -e="f" equals a="b" AND c="d" AND NOT e="f"', () => {
    const short = parseFilter('jsonPayload.a="b" jsonPayload.c="d" -jsonPayload.e="f"');
    const long = parseFilter('jsonPayload.a="b" AND jsonPayload.c="d" AND NOT jsonPayload.e="f"');
    for (const e of ['f', 'g', undefined]) {
      const entry = json({ a: 'b', c: 'd', ...(e ? { e } : {}) });
      expect(matches(short, entry)).toBe(matches(long, entry));
    }
    expect(matches(short, json({ a: 'b', c: 'd', e: 'f' }))).toBe(false);
    expect(matches(short, json({ a: 'b', c: 'd', e: 'g' }))).toBe(true);
  });

  it('lowercase and/or/not are search terms, not operators', () => {
    const f = parseFilter('textPayload:x and textPayload:y');
    expect(matches(f, text('x y'))).toBe(false); // "and" is a global restriction nothing contains
    expect(matches(f, text('x and y'))).toBe(true);
  });
});

describe('Comparisons with a parenthesized value', () => {
  it('resource.type = ("gae_app" OR "gce_instance")', () => {
    const f = parseFilter('resource.type = ("gae_app" OR "gce_instance")');
    expect(matches(f, { resource: { type: 'gce_instance' } })).toBe(true);
    expect(matches(f, { resource: { type: 'k8s_cluster' } })).toBe(false);
  });

  it('jsonPayload.animal : ("nice" AND "pet"): both words, any order', () => {
    const f = parseFilter('jsonPayload.animal : ("nice" AND "pet")');
    expect(matches(f, json({ animal: 'a pet that is nice' }))).toBe(true);
    expect(matches(f, json({ animal: 'a nice dog' }))).toBe(false);
  });

  it('textPayload:(unicorn phoenix) has an implicit AND; textPayload:"unicorn phoenix" is one phrase', () => {
    expect(matches('textPayload:(unicorn phoenix)', text('phoenix and unicorn'))).toBe(true);
    expect(matches('textPayload:"unicorn phoenix"', text('phoenix and unicorn'))).toBe(false);
    expect(matches('textPayload:"unicorn phoenix"', text('A UNICORN PHOENIX'))).toBe(true);
    expect(matches('NOT textPayload: "unicorn phoenix"', text('unicorn phoenix'))).toBe(false);
  });

  it('labels.env =~ ("^prod.*server" OR "^staging.*server")', () => {
    const f = parseFilter('labels.env =~ ("^prod.*server" OR "^staging.*server")');
    expect(matches(f, { labels: { env: 'staging-web-server' } })).toBe(true);
    expect(matches(f, { labels: { env: 'dev-web-server' } })).toBe(false);
  });
});

describe('Global restrictions', () => {
  it('a lone value matches when any field contains it, case-insensitively', () => {
    expect(matches('"The Cat in The Hat"', json({ deep: { title: 'the cat in the hat, 1957' } }))).toBe(true);
    expect(matches('unicorn', { logName: 'projects/p/logs/UNICORN-log' })).toBe(true);
    expect(matches('unicorn', text('pegasus'))).toBe(false);
  });

  it('("cat" AND ("hat" OR "bat")) combines restrictions that may hit different fields', () => {
    const f = parseFilter('("cat" AND ("hat" OR "bat"))');
    expect(matches(f, { textPayload: 'a cat', labels: { k: 'bat' } })).toBe(true);
    expect(matches(f, text('a cat'))).toBe(false);
  });
});

describe('Field path identifiers', () => {
  it('quoted segments: labels."compute.googleapis.com/resource_id" and jsonPayload."foo.bar"', () => {
    expect(matches('labels."compute.googleapis.com/resource_id" = "123"', { labels: { 'compute.googleapis.com/resource_id': '123' } })).toBe(true);
    expect(matches('jsonPayload."foo.bar":apple', json({ 'foo.bar': 'green apple' }))).toBe(true);
    expect(matches('jsonPayload."foo.bar":apple', json({ foo: { bar: 'apple' } }))).toBe(false);
  });

  it('jsonPayload keys keep their case (jsonPayload.end_time differs from jsonPayload.endTime)', () => {
    expect(matches('jsonPayload.endTime:*', json({ end_time: 'x' }))).toBe(false);
    expect(matches('jsonPayload.end_time:*', json({ end_time: 'x' }))).toBe(true);
  });

  it('protoPayload field names are case-insensitive', () => {
    expect(matches('protoPayload.methodname = "v1.compute.instances.insert"', { protoPayload: { methodName: 'v1.compute.instances.insert' } })).toBe(true);
  });

  it('nested objects: jsonPayload.x.age = 24', () => {
    expect(matches('jsonPayload.x.age = 24', json({ x: { age: 24, height: 67 } }))).toBe(true);
  });

  it('arrays: each member is compared and the results are ORed (shoeSize {8.5, 9, 6} < 7)', () => {
    expect(matches('jsonPayload.shoeSize < 7', json({ shoeSize: [8.5, 9, 6] }))).toBe(true);
    expect(matches('jsonPayload.shoeSize < 6', json({ shoeSize: [8.5, 9, 6] }))).toBe(false);
  });

  it('arrays on the way to the field are expanded too (jsonPayload.pairs.size over [{size: 8.5}, {size: 6}])', () => {
    const entry = json({ pairs: [{ size: 8.5 }, { size: 6 }, { color: 'red' }, 'loose', [{ size: 5 }]] });
    expect(matches('jsonPayload.pairs.size < 7', entry)).toBe(true);
    expect(matches('jsonPayload.pairs.size < 6', entry)).toBe(false);
    expect(matches('jsonPayload.pairs.size = 5', entry)).toBe(false);
    expect(matches('jsonPayload.pairs.color = "red"', entry)).toBe(true);
  });
});

describe('Missing and defaulted fields', () => {
  const entry = json({ message: 'hi' });

  it('NOT on a missing field is TRUE, != on a missing field is FALSE', () => {
    expect(matches('NOT jsonPayload.missingField=foo', entry)).toBe(true);
    expect(matches('jsonPayload.missingField!=foo', entry)).toBe(false);
    expect(matches('labels.absent!=foo', entry)).toBe(false);
  });

  it('defaulted LogEntry fields compare as their default value', () => {
    expect(matches('httpRequest.status < 100', entry)).toBe(true); // default 0
    expect(matches('httpRequest.remoteIp = ""', entry)).toBe(true);
    expect(matches('severity = DEFAULT', entry)).toBe(true);
    expect(matches('textPayload != "x"', entry)).toBe(true);
  });

  it(':* tests explicit presence (operation.id:*)', () => {
    expect(matches('operation.id:*', entry)).toBe(false);
    expect(matches('operation.id:*', { ...entry, operation: { id: 'op1' } })).toBe(true);
    expect(matches('NOT textPayload:*', entry)).toBe(true);
    expect(matches('jsonPayload.message:*', entry)).toBe(true);
  });

  it('NULL_VALUE matches a JSON null, and NOT … = NULL_VALUE excludes it', () => {
    expect(matches('jsonPayload.field = NULL_VALUE', json({ field: null }))).toBe(true);
    expect(matches('jsonPayload.field = NULL_VALUE', json({ field: 'x' }))).toBe(false);
    expect(matches('NOT jsonPayload.field = NULL_VALUE', json({ field: null }))).toBe(false);
  });
});

describe('Comparison operators by type', () => {
  it('string equality ignores case; : is a case-insensitive substring', () => {
    expect(matches('resource.type = "GCE_INSTANCE"', { resource: { type: 'gce_instance' } })).toBe(true);
    expect(matches('resource.type = "gce"', { resource: { type: 'gce_instance' } })).toBe(false);
    expect(matches('logName:REQUEST_LOG', { logName: 'projects/p/logs/appengine.googleapis.com%2Frequest_log' })).toBe(true);
  });

  it('severity uses the LogSeverity order, by name (any case) or number', () => {
    const sev = (severity?: string | number): LogEntry => (severity === undefined ? {} : { severity });
    const f = parseFilter('severity>=warning');
    expect([undefined, 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'EMERGENCY'].map((s) => matches(f, sev(s)))).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(matches('severity < INFO', sev(undefined))).toBe(true); // DEFAULT < INFO
    expect(matches('severity > 250', sev('NOTICE'))).toBe(true);
    expect(matches('severity = ERROR', sev(500))).toBe(true);
  });

  it('numeric fields compare numerically, not lexicographically', () => {
    expect(matches('httpRequest.status>=500', { httpRequest: { status: 503 } })).toBe(true);
    expect(matches('httpRequest.status>="500"', { httpRequest: { status: 404 } })).toBe(false);
    // "9.5" > "10" as strings; 9.5 < 10 as numbers (jsonPayload numbers are doubles).
    expect(matches('jsonPayload.duration_seconds > 10', json({ duration_seconds: 9.5 }))).toBe(false);
    expect(matches('jsonPayload.duration_seconds > 10', json({ duration_seconds: 30.03 }))).toBe(true);
    expect(matches('jsonPayload.status_code = "401"', json({ status_code: 401 }))).toBe(true);
  });

  it('a jsonPayload value that cannot be converted fails the comparison', () => {
    expect(matches('jsonPayload.status_code >= abc', json({ status_code: 401 }))).toBe(false);
    expect(matches('NOT jsonPayload.status_code >= abc', json({ status_code: 401 }))).toBe(true);
  });

  it('durations compare by length ("1s" > "999ms"); httpRequest.latency is "0.285s"', () => {
    expect(matches('httpRequest.latency > "999ms"', { httpRequest: { latency: '1s' } })).toBe(true);
    expect(matches('httpRequest.latency >= "1s"', { httpRequest: { latency: '0.285s' } })).toBe(false);
    expect(matches('httpRequest.latency >= "250ms"', { httpRequest: { latency: '0.285s' } })).toBe(true);
  });

  it('timestamps compare as instants; a date means T00:00:00Z; offsets are honoured', () => {
    const at = (timestamp: string): LogEntry => ({ timestamp });
    const window = parseFilter('timestamp >= "2016-11-29T23:00:00Z" timestamp <= "2016-11-29T23:30:00Z"');
    expect(matches(window, at('2016-11-29T23:15:00.123456789Z'))).toBe(true);
    expect(matches(window, at('2016-11-29T23:30:00.000000001Z'))).toBe(false);
    expect(matches('timestamp > "2016-11-29"', at('2016-11-29T00:00:01Z'))).toBe(true);
    expect(matches('timestamp >= "2016-06-27T14:40:00-04:00"', at('2016-06-27T18:40:00Z'))).toBe(true);
    expect(matches('timestamp >= "2016-06-27T14:40:00-04:00"', at('2016-06-27T18:39:59Z'))).toBe(false);
  });

  it('bool fields: true > false', () => {
    expect(matches('httpRequest.cacheHit = TRUE', { httpRequest: { cacheHit: true } })).toBe(true);
    expect(matches('httpRequest.cacheHit > false', { httpRequest: { cacheHit: false } })).toBe(false);
  });
});

describe('Using regular expressions (the documented examples)', () => {
  it('are case sensitive and unanchored; (?i) makes them case-insensitive', () => {
    expect(matches('labels.subnetwork_name =~ "foo"', { labels: { subnetwork_name: 'my-FOO-net' } })).toBe(false);
    expect(matches('labels.subnetwork_name =~ "(?i)foo"', { labels: { subnetwork_name: 'my-FOO-net' } })).toBe(true);
  });

  it('escaped quotes, alternation, anchors and !~', () => {
    expect(matches('jsonPayload.message =~ "field1=\\"bar.*\\""', json({ message: 'x field1="barbaz" y' }))).toBe(true);
    expect(matches('labels.pod_name =~ "(foo|bar)"', { labels: { pod_name: 'a-bar-1' } })).toBe(true);
    expect(matches('logName =~ "/my%2Flog$"', { logName: 'projects/p/logs/my%2Flog' })).toBe(true);
    expect(matches('logName =~ "^foo"', { logName: 'projects/foo' })).toBe(false);
    expect(matches('labels.pod_name !~ "foo"', { labels: { pod_name: 'bar' } })).toBe(true);
    expect(matches('labels.pod_name !~ "foo"', {})).toBe(false); // missing field: comparison fails
  });

  it('"\\d" and "\\\\d" both reach RE2 as \\d', () => {
    expect(matches('textPayload =~ "locked due to \\d+ failed"', text('locked due to 5 failed'))).toBe(true);
    expect(matches('textPayload =~ "locked due to \\\\d+ failed"', text('locked due to 5 failed'))).toBe(true);
  });
});

describe('Comments and functions', () => {
  it('-- starts a comment to the end of the line', () => {
    const f = parseFilter('resource.type = "gce_instance" -- jsonPayload.targetUser = "alex"\njsonPayload.targetUser = "kiran"');
    expect(matches(f, { resource: { type: 'gce_instance' }, jsonPayload: { targetUser: 'kiran' } })).toBe(true);
  });

  it('log_id() matches the URL-decoded log id of logName', () => {
    const f = parseFilter('log_id("run.googleapis.com/requests")');
    expect(matches(f, requestLogEntry('dev'))).toBe(true);
    expect(matches(f, printEntry('dev', 'x'))).toBe(false);
  });
});

describe('Errors: clear, positioned, never a silent mismatch', () => {
  it.each([
    ['SEARCH("hello world")', /function SEARCH\(\) is not supported/],
    ['sample(insertId, 0.25)', /function sample\(\) is not supported/],
    ['thud = 1', /undefined field thud/],
    ['textPayload.thud = 1', /undefined field textPayload\.thud/],
    ['httpRequest.stats = 500', /"httpRequest" has no field "stats"/],
    ['severity >= EROR', /cannot be converted to the type of severity/],
    ['httpRequest.status = abc', /cannot be converted .* httpRequest.status \(int\)/],
    ['httpRequest.latency > 1', /duration such as/],
    ['httpRequest.status =~ "^5"', /not a string field/],
    ['textPayload =~ "(?=foo)"', /lookahead/],
    ['textPayload =~ "(a)\\1"', /backreferences/],
    ['textPayload =~ "a*+"', /possessive/],
    ['textPayload =~ "[a-"', /missing closing \]/],
    ['(textPayload:x', /missing "\)"/],
    ['textPayload:x)', /unbalanced "\)"/],
    ['textPayload:"x', /unterminated string/],
    ['textPayload:x AND', /AND must be followed by a comparison/],
    ['OR textPayload:x', /OR must follow a comparison/],
    ['insertId = abc:def', /unexpected ":"/],
    ['textPayload = -abc', /put it in double quotes/],
    ['severity = *', /only valid as ":\*"/],
    ['"foo" = "bar"', /must start with a field name/],
    ['jsonPayload.x < NULL_VALUE', /NULL_VALUE can only be compared with = or !=/],
    ['httpRequest = "x"', /only ":" \(has\) and ":\*"/],
  ])('%s', (filter, message) => {
    expect(parseError(filter).message).toMatch(message);
  });

  it('names the filter and the line/column', () => {
    const err = parseError('resource.type="cloud_run_revision"\nAND severity>=EROR', 'metric "x" filter');
    expect(err.message).toMatch(/^metric "x" filter: /);
    expect([err.line, err.column]).toEqual([2, 15]);
  });
});

describe("The app's real lines (fixture) and the vividly-app.md §7 recipes", () => {
  const api = 'resource.type="cloud_run_revision" AND resource.labels.service_name="staging-vividly-api"';

  it('lockout: exactly fixture line 31', () => {
    expect(linesMatching(`${api} AND jsonPayload.message=~"^Account locked due to \\d+ failed attempts"`)).toEqual([31]);
  });

  it('blocked while locked and middleware rate limit: lines 32 and 33', () => {
    expect(linesMatching(`${api} AND jsonPayload.message=~"Blocked login attempt for locked account"`)).toEqual([32]);
    expect(linesMatching(`${api} AND jsonPayload.message=~"^Rate limit exceeded: "`)).toEqual([33]);
  });

  it('severity>=ERROR picks the 7 ERROR lines, including the health-check noise (line 59)', () => {
    expect(linesMatching(`${api} AND severity>=ERROR`)).toEqual([22, 46, 52, 53, 56, 57, 59]);
  });

  it('4xx/5xx response lines are INFO: only status_code finds them', () => {
    expect(linesMatching(`${api} AND jsonPayload.status_code>=500`)).toEqual([47, 54]);
    expect(linesMatching(`${api} AND jsonPayload.status_code>=500 AND severity>=WARNING`)).toEqual([]);
  });

  it('the unhandled exception has "- ERROR" and no status line (55-57)', () => {
    expect(linesMatching(`${api} AND jsonPayload.message=~" - ERROR$"`)).toEqual([56]);
  });

  it('text lines carry an ANSI prefix: "^Account locked" fails on textPayload, an unanchored pattern works', () => {
    const line = appTextEntry('dev', 'Account locked due to 5 failed attempts: m@example.org from 169.254.1.1', {
      level: 'WARNING',
      logger: 'app.middleware.security',
      module: 'security',
      function: 'dispatch',
      line: 146,
    });
    expect(matches('textPayload=~"^Account locked due to \\d+ failed attempts"', line)).toBe(false);
    expect(matches('textPayload=~"Account locked due to \\d+ failed attempts"', line)).toBe(true);
    expect(matches('severity>=WARNING', line)).toBe(false); // text lines have no severity
  });
});

describe('mayMatchFieldValue: whether a filter pins a field to other values', () => {
  const SERVICE = ['resource', 'labels', 'service_name'];
  test.each([
    ['resource.labels.service_name="api"', 'api', true],
    ['resource.labels.service_name = "api"', 'worker', false],
    ['resource.labels.service_name=API', 'api', true], // string comparisons ignore case, as matches() does
    ['resource.type="cloud_run_revision" AND (resource.labels.service_name="a" OR resource.labels.service_name="b")', 'b', true],
    ['resource.type="cloud_run_revision" AND (resource.labels.service_name="a" OR resource.labels.service_name="b")', 'c', false],
    ['(resource.labels.service_name="a" OR severity>=ERROR)', 'c', true],
    ['resource.labels.service_name="a" AND resource.labels.service_name="b"', 'a', false],
    ['resource.labels.service_name:"api"', 'other', true],
    ['NOT resource.labels.service_name="api"', 'other', true],
    ['labels.service_name="api"', 'other', true],
    ['severity>=ERROR', 'api', true],
  ])('%s, %s: %s', (filter, value, expected) => {
    expect(mayMatchFieldValue(filter, SERVICE, value)).toBe(expected);
    // Never false where an entry with that value matches.
    if (!expected)
      expect(matches(filter, { resource: { type: 'cloud_run_revision', labels: { service_name: value } }, severity: 'ERROR' } as LogEntry)).toBe(false);
  });
});
