/**
 * Alert tests in the style of `promtool test rules`: scenario files (the format of scenario.ts, extended) that assert
 * the EXACT set of open incidents at named evaluation times. Extensions, all resolved here before the scenario is
 * handed to `parseScenario` unchanged:
 *
 * - `env: prod` or `env: [prod, staging]`: the synthesized stack(s) whose policies are tested; `${env}` is available
 *   everywhere in the document (and in `include` paths).
 * - `include: [fragments/${env}.yaml]`: fragment files (`vars:` and `fragments:`), relative to the including file.
 * - `vars: {name: value}` and `fragments: {name: {params: {p: default | null}, value: <any YAML>}}`, in fragment files
 *   or inline. `${name}` substitutes a var, a fragment parameter or `env`; a string that is exactly `${name}` takes
 *   the value itself (a number, a generator object...); `$${` is a literal `${`.
 * - `{use: NAME, with: {p: v}, ...more}` anywhere: the fragment's value with its parameters substituted; inside a
 *   list a fragment whose value is a list is spliced in; sibling keys (`...more`) are merged over a mapping value
 *   (a sibling `values:` replaces the fragment's `value:`).
 *   At the top of a document `use: [NAME | {use, with}]` merges scenario-shaped fragments (lists such as `series`
 *   and `logs` are concatenated, other fields taken unless the document sets them).
 * - Series `values: "1x60 5+1x10 _x3"` (promtool's expanding notation): one value per `step` from the series'
 *   `from` (default: the scenario start); `a+bxn` is a, a+b, ..., a+n·b (n+1 values), `axn` is a n+1 times, `_` is a
 *   missing point and `_xn` n missing points. GAUGE values sit at from + k·step; DELTA/CUMULATIVE values are the
 *   count of the step that ENDS at from + (k+1)·step.
 * - `open: [{at: TIME, alerts: [NAME...]}]`: at the last evaluation at or before TIME, the policies with an open
 *   incident are EXACTLY the listed ones (each NAME must be contained in exactly one policy's display name); an
 *   unlisted policy that is open is a failure.
 * - `opened: [NAME...]`: the exact set of policies that opened an incident at any evaluation of the scenario.
 * Several scenarios may share a file as YAML documents separated by `---`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { InputError, parseHumanDuration } from './errors';
import { resolveTime, TimeContext } from './generators';
import type { PolicyResult, ScenarioResult } from './engine';
import type { PolicySet } from './policies';
import { ALERT_TEST_KEYS, parseScenario, resolveAnchors, Scenario } from './scenario';
import { simulateScenario } from './simulate';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const LIST_FIELDS = ['series', 'logs', 'logStreams', 'logMetrics', 'slos'];
const MAX_DEPTH = 32;

interface Fragment {
  params: Record<string, Json>;
  value: Json;
  file: string;
}

interface Scope {
  file: string;
  vars: Record<string, Json>;
  fragments: Map<string, Fragment>;
}

export interface OpenCheck {
  /** As written (for messages). */
  atText: string;
  at: number;
  alerts: string[];
}

export interface AlertTest {
  file: string;
  env: string;
  /** Index of the YAML document in the file. */
  document: number;
  scenario: Scenario;
  open: OpenCheck[];
  opened?: string[];
}

export interface AlertTestResult {
  test: AlertTest;
  result: ScenarioResult;
  /** Empty when the test passed. Each entry names the time and shows expected vs actual sets. */
  failures: string[];
}

// ---- compact series notation -----------------------------------------------------------------------------------------

const NUM = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?';
const TOKEN = new RegExp(`^(?:(_)(?:x(\\d+))?|(${NUM})(?:([-+])(${NUM}))?(?:x(\\d+))?)$`);

/**
 * promtool's expanding notation: `a`, `a+bxn`, `a-bxn`, `axn` (n+1 values), `_` (missing), `_xn` (n missing).
 * Returns one entry per step, null = missing. Throws a reason string.
 */
export function parseSeriesValues(text: string): (number | null)[] {
  const out: (number | null)[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const m = TOKEN.exec(token);
    if (!m) throw new Error(`"${token}" is not a value (use a, a+bxn, a-bxn, axn, _ or _xn)`);
    if (m[1]) {
      const n = m[2] === undefined ? 1 : Number(m[2]);
      for (let i = 0; i < n; i++) out.push(null);
      continue;
    }
    const a = Number(m[3]);
    if (m[4] === undefined && m[6] === undefined) {
      out.push(a);
      continue;
    }
    const b = m[5] === undefined ? 0 : Number(m[5]) * (m[4] === '-' ? -1 : 1);
    const n = m[6] === undefined ? 0 : Number(m[6]);
    // b·i rounded to 12 significant digits, so that 0.1+0.1x2 is 0.1 0.2 0.3 and not 0.30000000000000004
    for (let i = 0; i <= n; i++) out.push(Number((a + b * i).toPrecision(12)));
  }
  if (out.length === 0) throw new Error('no values');
  return out;
}

// ---- loading ----------------------------------------------------------------------------------------------------------

/**
 * The parsed documents of recently read YAML texts, by text: a test file's fragment files are read again for every
 * document and environment, and collectAlertTestFiles parses each file once more to tell fragments from tests. Keyed
 * by the whole text, so an edited file is parsed afresh; every caller gets its own copy.
 */
const parsedYaml = new Map<string, unknown[]>();
const PARSED_YAML_KEPT = 64;

function readYamlDocuments(file: string, what: string): unknown[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, '', `cannot read ${what}: ${(e as Error).message}`);
  }
  let out = parsedYaml.get(text);
  if (!out) {
    out = [];
    for (const d of YAML.parseAllDocuments(text)) {
      if (d.errors.length) throw new InputError(file, '', `not valid YAML: ${d.errors[0].message}`);
      const v = d.toJSON();
      if (v !== null && v !== undefined) out.push(v);
    }
    if (parsedYaml.size >= PARSED_YAML_KEPT) parsedYaml.delete(parsedYaml.keys().next().value!);
    parsedYaml.set(text, out);
  }
  return structuredClone(out);
}

function substitute(text: string, vars: Record<string, Json>, file: string, where: string): Json {
  const whole = /^\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}$/.exec(text);
  if (whole) {
    if (!(whole[1] in vars)) throw new InputError(file, where, `unknown variable \${${whole[1]}} (known: ${Object.keys(vars).sort().join(', ') || 'none'})`);
    return vars[whole[1]];
  }
  return text.replace(/\$?\$\{([^}]*)\}/g, (match, name: string) => {
    if (match.startsWith('$$')) return match.slice(1);
    if (!(name in vars)) throw new InputError(file, where, `unknown variable \${${name}} (known: ${Object.keys(vars).sort().join(', ') || 'none'})`);
    const v = vars[name];
    return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  });
}

function loadFragmentsInto(scope: Scope, raw: unknown, file: string, where: string): void {
  if (!isObj(raw)) throw new InputError(file, where, 'must be a mapping');
  const vars = raw.vars ?? {};
  if (!isObj(vars)) throw new InputError(file, `${where}vars`, 'must be a mapping of name: value');
  for (const [k, v] of Object.entries(vars)) {
    if (k in scope.vars && JSON.stringify(scope.vars[k]) !== JSON.stringify(v))
      throw new InputError(file, `${where}vars.${k}`, `defined twice with different values (also in ${scope.file})`);
    scope.vars[k] = v;
  }
  const frags = raw.fragments ?? {};
  if (!isObj(frags)) throw new InputError(file, `${where}fragments`, 'must be a mapping of name: {params?, value}');
  for (const [name, f] of Object.entries(frags)) {
    const at = `${where}fragments.${name}`;
    if (!isObj(f) || !('value' in f)) throw new InputError(file, at, 'a fragment is {params?: {name: default or null}, value: ...}');
    const extra = Object.keys(f).filter((k) => k !== 'params' && k !== 'value');
    if (extra.length) throw new InputError(file, at, `unknown field(s) ${extra.map((k) => `"${k}"`).join(', ')}`);
    if (f.params !== undefined && !isObj(f.params)) throw new InputError(file, `${at}.params`, 'must be a mapping of name: default (null = required)');
    const prev = scope.fragments.get(name);
    if (prev) throw new InputError(file, at, `fragment "${name}" is already defined in ${prev.file}`);
    scope.fragments.set(name, { params: (f.params as Record<string, Json>) ?? {}, value: f.value, file });
  }
  const extra = Object.keys(raw).filter((k) => k !== 'vars' && k !== 'fragments');
  if (where === '' && extra.length) throw new InputError(file, extra[0], 'a fragment file holds only vars and fragments');
}

function expandUse(ref: Obj, scope: Scope, where: string, depth: number, vars: Record<string, Json>): Json {
  const name = ref.use;
  if (typeof name !== 'string') throw new InputError(scope.file, `${where}.use`, 'must be a fragment name');
  const f = scope.fragments.get(name);
  if (!f)
    throw new InputError(
      scope.file,
      `${where}.use`,
      `no fragment "${name}" (known: ${[...scope.fragments.keys()].sort().join(', ') || 'none; add include: [...]'})`,
    );
  const given = ref.with === undefined ? {} : ref.with;
  if (!isObj(given)) throw new InputError(scope.file, `${where}.with`, 'must be a mapping of parameter: value');
  const params: Record<string, Json> = {};
  for (const k of Object.keys(given))
    if (!(k in f.params))
      throw new InputError(
        scope.file,
        `${where}.with.${k}`,
        `fragment "${name}" has no parameter "${k}" (parameters: ${Object.keys(f.params).join(', ') || 'none'})`,
      );
  for (const [k, d] of Object.entries(f.params)) {
    if (k in given) params[k] = expand(given[k], scope, `${where}.with.${k}`, depth + 1, vars);
    else if (d === null) throw new InputError(scope.file, `${where}.with`, `fragment "${name}" needs parameter "${k}"`);
    else params[k] = d;
  }
  const value = expand(f.value, { ...scope, file: f.file }, `fragment ${name}`, depth + 1, { ...vars, ...params });
  const siblings = Object.keys(ref).filter((k) => k !== 'use' && k !== 'with');
  if (!siblings.length) return value;
  if (!isObj(value)) throw new InputError(scope.file, where, `fragment "${name}" is not a mapping: fields next to "use" cannot be merged into it`);
  const out: Obj = { ...value };
  // Compact `values:` next to `use` replaces the fragment's own `value` generator.
  if (siblings.includes('values')) delete out.value;
  for (const k of siblings) out[k] = expand(ref[k], scope, `${where}.${k}`, depth + 1, vars);
  return out;
}

function expand(node: Json, scope: Scope, where: string, depth: number, vars: Record<string, Json>): Json {
  if (depth > MAX_DEPTH) throw new InputError(scope.file, where, `fragments nested more than ${MAX_DEPTH} deep (a fragment that uses itself?)`);
  if (typeof node === 'string') return substitute(node, vars, scope.file, where);
  if (Array.isArray(node)) {
    const out: Json[] = [];
    node.forEach((item, i) => {
      const v = expand(item, scope, `${where}[${i}]`, depth + 1, vars);
      if (isObj(item) && typeof item.use === 'string' && Array.isArray(v)) out.push(...v);
      else out.push(v);
    });
    return out;
  }
  if (isObj(node)) {
    if (typeof node.use === 'string') return expandUse(node, scope, where, depth, vars);
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) out[k] = expand(v, scope, where ? `${where}.${k}` : k, depth + 1, vars);
    return out;
  }
  return node;
}

/** Merge scenario-shaped fragments (top-level `use`) under the document: lists concatenated, fields kept. */
function mergeScenario(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (LIST_FIELDS.includes(k) && Array.isArray(out[k]) && Array.isArray(v)) out[k] = [...(out[k] as Json[]), ...v];
    else out[k] = v;
  }
  return out;
}

/**
 * The scenario's time anchors for `values:` and `from:`, resolved as parseScenario resolves them (each after the one it
 * names, so `end: incident+3h` works, as the README says); a bad anchor is the same one-line error as there.
 */
function timeContext(spec: Obj, file: string): TimeContext {
  const str = (v: Json | undefined) => (v === undefined ? undefined : String(v));
  return resolveAnchors({ start: str(spec.start)!, end: str(spec.end)!, incidentStart: str(spec.incidentStart) }, file);
}

/** Series with `values:` → `points:` (see the header). */
function expandValues(spec: Obj, file: string): void {
  if (!Array.isArray(spec.series)) return;
  if (spec.start === undefined || spec.end === undefined) return; // parseScenario reports the missing field
  const ctx = timeContext(spec, file);
  spec.series = spec.series.map((s, i) => {
    if (!isObj(s) || s.values === undefined) return s;
    const where = `series[${i}]`;
    if (s.value !== undefined) throw new InputError(file, `${where}.values`, 'give either value (a generator) or values (compact notation), not both');
    if (typeof s.values !== 'string') throw new InputError(file, `${where}.values`, 'must be a string such as "1x60 5x10 _x3"');
    let values: (number | null)[];
    try {
      values = parseSeriesValues(s.values);
    } catch (e) {
      throw new InputError(file, `${where}.values`, (e as Error).message);
    }
    let stepSeconds: number;
    try {
      stepSeconds = parseHumanDuration(s.step ?? spec.step ?? 60);
    } catch (e) {
      throw new InputError(file, `${where}.step`, (e as Error).message);
    }
    if (!(stepSeconds > 0)) throw new InputError(file, `${where}.step`, 'must be > 0');
    let anchor: number;
    try {
      anchor = s.from === undefined ? ctx.start : resolveTime(String(s.from), ctx);
    } catch (e) {
      throw new InputError(file, `${where}.from`, (e as Error).message);
    }
    const offset = s.kind === 'GAUGE' ? 0 : 1;
    const points: Json[] = [];
    values.forEach((v, k) => {
      if (v !== null) points.push({ t: new Date(anchor + (k + offset) * stepSeconds * 1000).toISOString(), v });
    });
    const out: Obj = { ...s, points };
    delete out.values;
    delete out.from;
    delete out.step;
    return out;
  });
}

function nameList(v: Json | undefined, file: string, where: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !x))
    throw new InputError(file, where, 'must be a list of alert names (quote names that contain commas)');
  return v as string[];
}

/** Read an alert-test file: one AlertTest per YAML document and environment. Every problem is an InputError. */
export function loadAlertTestFile(file: string): AlertTest[] {
  const docs = readYamlDocuments(file, 'alert test');
  if (docs.length === 0) throw new InputError(file, '', 'no scenario in the file');
  const tests: AlertTest[] = [];
  docs.forEach((raw, d) => {
    const docWhere = docs.length > 1 ? `document ${d + 1}: ` : '';
    const fail = (field: string, reason: string): never => {
      throw new InputError(file, `${docWhere}${field}`, reason);
    };
    if (!isObj(raw)) fail('', 'a scenario is a mapping');
    const doc = raw as Obj;
    const envs = doc.env === undefined ? fail('env', 'required: the environment(s) whose synthesized policies are tested, e.g. env: prod') : doc.env;
    const envList =
      typeof envs === 'string'
        ? [envs]
        : Array.isArray(envs) && envs.length && envs.every((e) => typeof e === 'string')
          ? (envs as string[])
          : fail('env', 'must be an environment name or a list of them');
    for (const env of envList) {
      const scope: Scope = { file, vars: { env }, fragments: new Map() };
      const includes = doc.include === undefined ? [] : Array.isArray(doc.include) ? doc.include : fail('include', 'must be a list of fragment files');
      includes.forEach((inc, i) => {
        if (typeof inc !== 'string') fail(`include[${i}]`, 'must be a file name');
        const p = path.resolve(path.dirname(file), String(substitute(inc as string, { env }, file, `include[${i}]`)));
        const fdocs = readYamlDocuments(p, 'fragment file');
        fdocs.forEach((fd) => loadFragmentsInto(scope, fd, p, ''));
      });
      if (doc.vars !== undefined || doc.fragments !== undefined)
        loadFragmentsInto(scope, { vars: doc.vars ?? {}, fragments: doc.fragments ?? {} }, file, docWhere);
      scope.vars.env = env;
      const vars = scope.vars;
      const body: Obj = {};
      for (const [k, v] of Object.entries(doc)) if (!ALERT_TEST_KEYS.includes(k)) body[k] = v;
      let spec = expand(body, scope, '', 0, vars) as Obj;
      const uses = doc.use === undefined ? [] : Array.isArray(doc.use) ? doc.use : fail('use', 'at the top of a scenario, use is a list of fragment names');
      let merged: Obj = {};
      uses.forEach((u, i) => {
        const ref: Obj = typeof u === 'string' ? { use: u } : isObj(u) ? u : fail(`use[${i}]`, 'a fragment name or {use, with}');
        const v = expandUse(ref, scope, `use[${i}]`, 0, vars);
        if (!isObj(v)) fail(`use[${i}]`, `fragment "${String(ref.use)}" is not a scenario mapping`);
        merged = mergeScenario(merged, v as Obj);
      });
      spec = mergeScenario(merged, spec);
      const label = `${docWhere}${envList.length > 1 ? `(env ${env}) ` : ''}`;
      try {
        expandValues(spec, file);
      } catch (e) {
        if (e instanceof InputError) throw new InputError(file, `${label}${e.field}`, e.reason);
        throw e;
      }
      let scenario: Scenario;
      try {
        scenario = parseScenario(spec, file);
      } catch (e) {
        if (e instanceof InputError && e.file === file) throw new InputError(file, `${label}${e.field}`, e.reason);
        throw e;
      }
      const ctx: TimeContext = { start: scenario.start, end: scenario.end, incidentStart: scenario.incidentStart };
      const opens = doc.open === undefined ? [] : Array.isArray(doc.open) ? doc.open : fail('open', 'must be a list of {at, alerts}');
      const open: OpenCheck[] = opens.map((o, i) => {
        if (!isObj(o)) fail(`open[${i}]`, 'must be {at: TIME, alerts: [NAME...]}');
        const oo = o as Obj;
        const extra = Object.keys(oo).filter((k) => k !== 'at' && k !== 'alerts');
        if (extra.length) fail(`open[${i}]`, `unknown field(s) ${extra.map((k) => `"${k}"`).join(', ')}`);
        if (typeof oo.at !== 'string') fail(`open[${i}].at`, 'required: a time (ISO, or start/end/incident ± duration)');
        const atText = String(substitute(oo.at as string, vars, file, `open[${i}].at`));
        let at = 0;
        try {
          at = resolveTime(atText, ctx);
        } catch (e) {
          fail(`open[${i}].at`, (e as Error).message);
        }
        if (at < scenario.evaluateFrom || at > scenario.end)
          fail(
            `open[${i}].at`,
            `${atText} is outside the evaluated window ${new Date(scenario.evaluateFrom).toISOString()} .. ${new Date(scenario.end).toISOString()}`,
          );
        const alerts = nameList(expand(oo.alerts ?? null, scope, `open[${i}].alerts`, 0, vars), file, `${label}open[${i}].alerts`);
        return { atText, at, alerts };
      });
      const opened = doc.opened === undefined ? undefined : nameList(expand(doc.opened, scope, 'opened', 0, vars), file, `${label}opened`);
      if (open.length === 0 && opened === undefined && !scenario.expect.fire.length && !scenario.expect.notFire.length) {
        fail('open', 'an alert test asserts something: give open: [{at, alerts}] and/or opened: [...]');
      }
      tests.push({ file, env, document: d, scenario, open, opened });
    }
  });
  return tests;
}

/** Fragment files (only `vars`/`fragments`) and `fragments/` directories are not tests. */
export function isFragmentFile(file: string): boolean {
  if (file.split(path.sep).includes('fragments')) return true;
  const docs = readYamlDocuments(file, 'file');
  return docs.length > 0 && docs.every((d) => isObj(d) && Object.keys(d).every((k) => k === 'vars' || k === 'fragments'));
}

/** The test files named by `paths`: files as given, directories searched recursively for *.yaml / *.yml, sorted. */
export function collectAlertTestFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, explicit: boolean): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new InputError(p, '', 'no such file or directory');
    }
    if (st.isDirectory()) {
      if (!explicit && path.basename(p) === 'fragments') return;
      for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e), false);
    } else if (explicit || (/\.ya?ml$/i.test(p) && !isFragmentFile(p))) out.push(p);
  };
  for (const p of paths) walk(p, true);
  return out;
}

// ---- running ----------------------------------------------------------------------------------------------------------

/** The policy an alert name denotes: the one display name that contains it. */
function resolveName(name: string, policies: PolicyResult[], t: AlertTest, where: string): PolicyResult {
  const hits = policies.filter((p) => p.displayName.includes(name));
  if (hits.length === 1) return hits[0];
  const exact = hits.filter((p) => p.displayName === name);
  if (exact.length === 1) return exact[0];
  throw new InputError(
    t.file,
    where,
    hits.length === 0
      ? `"${name}" names no policy of ${t.env} (policies: ${policies.map((p) => p.displayName).join('; ')})`
      : `"${name}" is ambiguous in ${t.env}: ${hits.map((p) => p.displayName).join('; ')}`,
  );
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const setText = (names: string[]) => (names.length ? `[${names.join(', ')}]` : '[] (none)');

function openAt(p: PolicyResult, evalTime: number): boolean {
  return p.windows.some((w) => w.start <= evalTime && (w.end === null || evalTime < w.end));
}

export function runAlertTest(t: AlertTest, set: PolicySet): AlertTestResult {
  const result = simulateScenario(set, t.scenario);
  const failures: string[] = [];
  for (const p of result.policies) if (p.error) failures.push(`${p.displayName} could not be evaluated: ${p.error}`);
  const label = (p: PolicyResult) => p.displayName;
  const compare = (what: string, expectedNames: string[], where: string, actual: PolicyResult[]) => {
    const expected = expectedNames.map((n) => resolveName(n, result.policies, t, where));
    const exp = [...new Set(expected.map(label))].sort();
    const act = actual.map(label).sort();
    if (JSON.stringify(exp) === JSON.stringify(act)) return;
    const unexpected = act.filter((n) => !exp.includes(n));
    const missing = exp.filter((n) => !act.includes(n));
    failures.push(
      [
        `${what}:`,
        `    expected: ${setText(exp)}`,
        `    actual:   ${setText(act)}`,
        ...(unexpected.length ? [`    open but not listed: ${unexpected.join(', ')}`] : []),
        ...(missing.length ? [`    listed but not open: ${missing.join(', ')}`] : []),
      ].join('\n'),
    );
  };
  t.open.forEach((o, i) => {
    // The state at the last evaluation at or before `at`.
    const evals = result.evaluationTimes.filter((x) => x <= o.at);
    const te = evals[evals.length - 1];
    compare(
      `at ${o.atText} (evaluation ${iso(te)})`,
      o.alerts,
      `open[${i}].alerts`,
      result.policies.filter((p) => !p.error && openAt(p, te)),
    );
  });
  if (t.opened)
    compare(
      'opened during the scenario',
      t.opened,
      'opened',
      result.policies.filter((p) => p.fired === true),
    );
  failures.push(...result.expectationFailures);
  return { test: t, result, failures };
}

/** A failure report: `file: scenario (env): …` then the expected/actual sets, or `ok` lines. */
export function formatAlertTestResult(r: AlertTestResult): string {
  const head = `${r.test.file}: ${r.test.scenario.name} (${r.test.env})`;
  if (!r.failures.length) return `ok    ${head}`;
  return [`FAIL  ${head}`, ...r.failures.map((f) => `  ${f.split('\n').join('\n  ')}`)].join('\n');
}
