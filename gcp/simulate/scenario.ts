/**
 * Scenario files (JSON or YAML): schema (zod, strict), loading, and materialisation of the series and log entries.
 * The format is documented in gcp/simulate/README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import YAML from 'yaml';
import { classifyLine, classifyValue, RAW_APP_OUTPUT } from '../logging-query/input-kind';
import { stripBom } from '../text';
import { InputError, parseHumanDuration } from './errors';
import { compileGenerator, countDrawer, GeneratorSpec, resolveTime, TimeContext } from './generators';
import { parseRfc3339 } from './timestamp';
import { delayOverrideProblem } from './delays';
import { DEFAULT_LATENCY_BUCKETS, bucketCount, lognormalDistribution } from './distribution';
import { METRIC_KINDS } from '../facts/metrics';
import { BucketOptions, Distribution, LogEntry, PointValue, SIMULATED_VALUE_TYPES, TimeSeries } from './types';

// Per-point code reads Math through module constants: in jest's vm context, where the tests run, each read of a global
// costs about 0.2 µs (gcp/simulate/README.md "Speed").
const { floor, max, round } = Math;
const { isArray } = Array;
const { getPrototypeOf } = Object;

// ---- schema ------------------------------------------------------------------------------------------------------

/**
 * Every number of a scenario is finite: YAML reads `1e400` and `.inf` as Infinity (JSON.parse reads 1e400 so too),
 * which zod 3's z.number() accepts (it refuses only NaN).
 */
const finite = z.number().finite('must be a finite number, not ±Infinity (YAML reads 1e400 and .inf as Infinity)');
/**
 * A number of seconds or "90s", "5m", "1h30m"…: parseHumanDuration's rules and messages (finite, never negative).
 */
const durationSchema = z.union([z.number(), z.string()]).superRefine((v, ctx) => {
  try {
    parseHumanDuration(v);
  } catch (e) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (e as Error).message });
  }
});
const timeSchema = z.string().min(1);
const labelsSchema = z.record(z.string(), z.string());
/** `counts: {poisson: {seed}}`: Poisson draws instead of even counts (generators.ts PoissonCounter). */
const countsSchema = z.union([z.literal('even'), z.object({ poisson: z.object({ seed: finite.int().optional() }).strict() }).strict()]);

/** Built on first use and then kept: z.lazy calls its getter at every parse, and the union has nine object schemas. */
let generatorUnion: z.ZodType<GeneratorSpec> | undefined;
export const generatorSchema: z.ZodType<GeneratorSpec> = z.lazy(
  () =>
    (generatorUnion ??= z.union([
      finite,
      z.object({ constant: finite }).strict(),
      z.object({ ramp: z.object({ from: finite, to: finite, start: timeSchema, end: timeSchema }).strict() }).strict(),
      z.object({ step: z.object({ at: timeSchema, after: finite, before: finite.optional(), until: timeSchema.optional() }).strict() }).strict(),
      z.object({ spike: z.object({ at: timeSchema, duration: durationSchema, height: finite, base: finite.optional() }).strict() }).strict(),
      z
        .object({
          diurnal: z
            .object({
              floor: finite.nonnegative(),
              peak: finite.nonnegative(),
              tzOffsetHours: finite.min(-14).max(14).optional(),
              weekendFactor: finite.min(0).max(1).optional(),
            })
            .strict(),
        })
        .strict(),
      z.object({ noise: z.object({ pct: finite.min(0).max(100), seed: finite.int().optional() }).strict() }).strict(),
      z.object({ sum: z.array(generatorSchema).min(1) }).strict(),
      z.object({ product: z.array(generatorSchema).min(1) }).strict(),
    ]) as z.ZodType<GeneratorSpec>),
) as z.ZodType<GeneratorSpec>;

const bucketOptionsSchema: z.ZodType<BucketOptions> = z.union([
  z.object({ linearBuckets: z.object({ numFiniteBuckets: finite.int().positive(), width: finite.positive(), offset: finite }).strict() }).strict(),
  z
    .object({
      exponentialBuckets: z.object({ numFiniteBuckets: finite.int().positive(), growthFactor: finite.gt(1), scale: finite.positive() }).strict(),
    })
    .strict(),
  z.object({ explicitBuckets: z.object({ bounds: z.array(finite).min(1) }).strict() }).strict(),
]);

const distributionValueSchema = z
  .object({
    bucketOptions: bucketOptionsSchema.optional(),
    bucketCounts: z.array(finite.int().nonnegative()).min(1),
    mean: finite.optional(),
  })
  .strict();

const seriesSchema = z
  .object({
    metric: z.object({ type: z.string().min(1), labels: labelsSchema.optional() }).strict(),
    resource: z.object({ type: z.string().min(1), labels: labelsSchema.optional() }).strict(),
    kind: z.enum(METRIC_KINDS),
    valueType: z.enum(SIMULATED_VALUE_TYPES),
    step: durationSchema.optional(),
    from: timeSchema.optional(),
    until: timeSchema.optional(),
    gaps: z.array(z.object({ from: timeSchema, until: timeSchema }).strict()).optional(),
    counts: countsSchema.optional(),
    value: generatorSchema.optional(),
    latency: z
      .object({
        p50: generatorSchema,
        p95: generatorSchema,
        rate: generatorSchema,
        bucketOptions: bucketOptionsSchema.optional(),
      })
      .strict()
      .optional(),
    buckets: z
      .object({ bucketOptions: bucketOptionsSchema, counts: z.array(finite.int().nonnegative()).min(1) })
      .strict()
      .optional(),
    points: z.array(z.object({ t: timeSchema, v: z.union([finite, z.boolean(), distributionValueSchema]) }).strict()).optional(),
  })
  .strict();

const logEntrySchema = z.record(z.string(), z.unknown());

const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    start: timeSchema,
    end: timeSchema,
    step: durationSchema.optional(),
    evaluationInterval: durationSchema.optional(),
    /** Evaluate from here on; earlier data is history only (e.g. the 3 days an SLO's slow burn looks back over). */
    evaluateFrom: timeSchema.optional(),
    incidentStart: timeSchema.optional(),
    ingestionDelays: z.record(z.string(), finite.nonnegative()).optional(),
    expect: z
      .object({
        fire: z.array(z.string().min(1)).optional(),
        notFire: z.array(z.string().min(1)).optional(),
        maxDetectionSeconds: z.record(z.string(), finite.nonnegative()).optional(),
      })
      .strict()
      .optional(),
    series: z.array(seriesSchema).optional(),
    logs: z.array(z.union([z.object({ file: z.string().min(1) }).strict(), logEntrySchema])).optional(),
    logStreams: z
      .array(
        z
          .object({
            template: logEntrySchema,
            rate: generatorSchema,
            from: timeSchema.optional(),
            until: timeSchema.optional(),
            counts: countsSchema.optional(),
          })
          .strict(),
      )
      .optional(),
    logMetrics: z.array(z.record(z.string(), z.unknown())).optional(),
    slos: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seriesTypes = (s.series ?? []).map((sp) => sp.metric.type);
    for (const key of Object.keys(s.ingestionDelays ?? {})) {
      const problem = delayOverrideProblem(key, seriesTypes);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ingestionDelays'], message: problem });
    }
  });

export type ScenarioSpec = z.infer<typeof scenarioSchema>;
export type SeriesSpec = z.infer<typeof seriesSchema>;

/** A validated scenario with resolved times, materialised series and log entries. */
/**
 * A log entry of a scenario at its time. Entries of a `logStreams` stream carry the stream's template (one object
 * for the whole stream): they differ from it only in `timestamp` and `insertId`.
 */
export interface ScenarioLog {
  t: number;
  entry: LogEntry;
  template?: object;
}

export interface Scenario {
  name: string;
  file: string;
  start: number;
  end: number;
  stepSeconds: number;
  evaluationIntervalSeconds: number;
  /** First evaluation time (default: start). */
  evaluateFrom: number;
  incidentStart?: number;
  ingestionDelays: Record<string, number>;
  expect: { fire: string[]; notFire: string[]; maxDetectionSeconds: Record<string, number> };
  series: TimeSeries[];
  /** Log entries sorted by timestamp, each with a numeric time; a `logStreams` entry also carries its stream's template. */
  logs: ScenarioLog[];
  /** API-format LogMetric objects given inline (for --policy runs without a synth). */
  logMetrics: Record<string, unknown>[];
  /** API-format ServiceLevelObjective objects given inline (for `select_slo_burn_rate` in --policy runs). */
  slos: Record<string, unknown>[];
}

// ---- loading -----------------------------------------------------------------------------------------------------

function zodPath(p: (string | number)[]): string {
  return p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i === 0 ? x : `.${x}`)).join('');
}

/** The top-level fields of an alert test (alert-tests.ts) that a scenario does not have. */
export const ALERT_TEST_KEYS: readonly string[] = ['env', 'include', 'vars', 'fragments', 'use', 'open', 'opened'];

/** An alert test file given where a scenario is read: named as what it is, with the command that runs it. */
function alertTestFileError(file: string, field: string, why: string): InputError {
  return new InputError(file, field, `this is an alert test file (${why}), not a scenario: run it with \`vividly-monitoring simulate test ${file}\``);
}

/**
 * Read and validate a scenario file. Every problem is an InputError(file, field, reason); an alert test file (several
 * YAML documents, or an alert test's fields) says so and how to run it.
 */
export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = stripBom(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, '', `cannot read: ${(e as Error).message}`);
  }
  const yaml = /\.ya?ml$/i.test(file);
  let raw: unknown;
  try {
    raw = yaml ? YAML.parse(text) : JSON.parse(text);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'MULTIPLE_DOCS') throw alertTestFileError(file, '', 'several YAML documents');
    throw new InputError(file, '', `not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
  const testKeys = typeof raw === 'object' && raw !== null ? ALERT_TEST_KEYS.filter((k) => k in raw) : [];
  if (testKeys.length) throw alertTestFileError(file, testKeys[0], `fields ${testKeys.join(', ')}`);
  return parseScenario(raw, file);
}

/**
 * A YAML flow list splits at commas: `fire: [SLO Availability burn rate (page, 1 h/5 min)]` is two needles, each of
 * which matches nothing useful (or the wrong policy). A needle with unbalanced parentheses or brackets is that mistake.
 */
function unbalanced(needle: string): string | undefined {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (const ch of needle) {
    if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (ch in pairs) {
      if (stack.pop() !== pairs[ch]) return pairs[ch] === '(' ? 'parentheses' : 'brackets';
    }
  }
  if (stack.length === 0) return undefined;
  return stack[stack.length - 1] === '(' ? 'parentheses' : 'brackets';
}

function checkNeedles(expect: { fire?: string[]; notFire?: string[]; maxDetectionSeconds?: Record<string, number> } | undefined, file: string): void {
  const check = (where: string, needle: string) => {
    const what = unbalanced(needle);
    if (what) throw new InputError(file, where, `${JSON.stringify(needle)} has unbalanced ${what}; quote alert names that contain commas in YAML flow lists`);
  };
  (expect?.fire ?? []).forEach((n, i) => check(`expect.fire[${i}]`, n));
  (expect?.notFire ?? []).forEach((n, i) => check(`expect.notFire[${i}]`, n));
  for (const n of Object.keys(expect?.maxDetectionSeconds ?? {})) check(`expect.maxDetectionSeconds[${JSON.stringify(n)}]`, n);
}

/**
 * An object literal's shape from any realm: its prototype is some realm's Object.prototype (whose own prototype is
 * null). A parsed YAML document may be a structuredClone made by Node's realm while the caller runs in another one
 * (a vm context, as under jest), so comparing with this realm's Object.prototype would miss it.
 */
function plainObject(p: object): boolean {
  const proto = getPrototypeOf(p);
  return proto === null || getPrototypeOf(proto) === null;
}

/**
 * Whether every item of a series' `points` is `{t, v}` with a non-empty string t and a finite number or boolean
 * v: exactly what the schema accepts without a distribution value. Such lists (thousands of points from an alert
 * test's `values:`) are checked here instead of by zod, which spends microseconds on each value; any other list
 * goes through zod as before, with its messages.
 */
function plainPoints(points: unknown): points is { t: string; v: number | boolean }[] {
  if (!isArray(points)) return false;
  for (const p of points) {
    if (typeof p !== 'object' || p === null || !plainObject(p)) return false;
    let n = 0;
    for (const k in p) if (++n > 2 || (k !== 't' && k !== 'v')) return false;
    const { t, v } = p as { t: unknown; v: unknown };
    if (n !== 2 || typeof t !== 'string' || t.length === 0) return false;
    if (!(typeof v === 'boolean' || (typeof v === 'number' && v - v === 0))) return false; // v - v is NaN for ±Infinity and NaN
  }
  return true;
}

/** The schema's result for `raw`, with plain `points` lists checked by plainPoints and handed over unchanged. */
function safeParseScenario(raw: unknown): ReturnType<typeof scenarioSchema.safeParse> {
  const series = typeof raw === 'object' && raw !== null ? (raw as { series?: unknown }).series : undefined;
  const kept = new Map<number, { t: string; v: number | boolean }[]>();
  if (isArray(series)) {
    series.forEach((sp, i) => {
      const points = typeof sp === 'object' && sp !== null ? (sp as { points?: unknown }).points : undefined;
      if (plainPoints(points)) kept.set(i, points);
    });
  }
  if (kept.size === 0) return scenarioSchema.safeParse(raw);
  const lighter = (series as unknown[]).map((sp, i) => (kept.has(i) ? { ...(sp as object), points: [] } : sp));
  const parsed = scenarioSchema.safeParse({ ...(raw as object), series: lighter });
  if (parsed.success) for (const [i, points] of kept) parsed.data.series![i].points = points.map(({ t, v }) => ({ t, v }));
  return parsed;
}

export function parseScenario(raw: unknown, file: string): Scenario {
  const parsed = safeParseScenario(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const more = parsed.error.issues.length > 1 ? ` (+${parsed.error.issues.length - 1} more)` : '';
    throw new InputError(file, zodPath(issue.path as (string | number)[]), describeIssue(issue) + more);
  }
  const s = parsed.data;
  checkNeedles(s.expect, file);
  const field = <T>(name: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(file, name, (e as Error).message);
    }
  };
  const { start, end, incidentStart } = resolveAnchors(s, file);
  const ctx: TimeContext = { start, end, incidentStart };
  const stepSeconds = s.step !== undefined ? parseHumanDuration(s.step) : 60;
  if (!(stepSeconds > 0)) throw new InputError(file, 'step', 'must be > 0');
  const evaluationIntervalSeconds = s.evaluationInterval !== undefined ? parseHumanDuration(s.evaluationInterval) : 30;
  if (!(evaluationIntervalSeconds > 0)) throw new InputError(file, 'evaluationInterval', 'must be > 0');
  const evaluateFrom = s.evaluateFrom !== undefined ? field('evaluateFrom', () => resolveTime(s.evaluateFrom!, ctx)) : start;
  if (evaluateFrom < start || evaluateFrom > end) throw new InputError(file, 'evaluateFrom', 'must lie between start and end');

  checkScenarioSize(s, file, start, end, stepSeconds, evaluationIntervalSeconds, evaluateFrom);
  const series = (s.series ?? []).map((sp, i) => field(`series[${i}]`, () => materializeSeries(sp, i, stepSeconds, ctx, file)));
  const logs: ScenarioLog[] = [];
  (s.logs ?? []).forEach((item, i) => {
    if (typeof item.file === 'string' && Object.keys(item).length === 1) {
      const p = path.resolve(path.dirname(file), item.file);
      let text: string;
      try {
        text = stripBom(fs.readFileSync(p, 'utf8'));
      } catch (e) {
        throw new InputError(file, `logs[${i}].file`, `cannot read ${p}: ${(e as Error).message}`);
      }
      readLogFile(p, text, (entry, where) => {
        logs.push({ t: entryTime(entry, p, where), entry });
        if (logs.length > SCENARIO_LIMITS.logEntries) throw tooManyLogs(file, `logs[${i}].file`);
      });
    } else {
      const entry = logEntry(item, file, `logs[${i}]`);
      logs.push({ t: entryTime(entry, file, `logs[${i}]`), entry });
    }
  });
  (s.logStreams ?? []).forEach((st, i) => {
    const gen = field(`logStreams[${i}].rate`, () => compileGenerator(st.rate, ctx, `logStreams[${i}].rate`));
    const from = st.from !== undefined ? field(`logStreams[${i}].from`, () => resolveTime(st.from!, ctx)) : start;
    const until = st.until !== undefined ? field(`logStreams[${i}].until`, () => resolveTime(st.until!, ctx)) : end;
    const rounder = countDrawer(st.counts);
    const stepMs = stepSeconds * 1000;
    for (let k = 0, t0 = start; t0 < end; k++, t0 += stepMs) {
      const n = rounder.next(gen(t0 + stepMs / 2, k) * stepSeconds);
      if (t0 + stepMs < from || t0 >= until) continue; // the step's entries, all in [t0, t0 + step), are outside
      for (let j = 0; j < n; j++) {
        const t = t0 + floor(((j + 0.5) * stepMs) / n);
        if (t < from || t >= until) continue;
        logs.push({ t, entry: { ...st.template, timestamp: new Date(t).toISOString(), insertId: `sim-${i}-${k}-${j}` }, template: st.template });
        if (logs.length > SCENARIO_LIMITS.logEntries) throw tooManyLogs(file, `logStreams[${i}]`);
      }
    }
  });
  logs.sort((a, b) => a.t - b.t);

  return {
    name: s.name,
    file,
    start,
    end,
    stepSeconds,
    evaluationIntervalSeconds,
    evaluateFrom,
    incidentStart,
    ingestionDelays: s.ingestionDelays ?? {},
    expect: { fire: s.expect?.fire ?? [], notFire: s.expect?.notFire ?? [], maxDetectionSeconds: s.expect?.maxDetectionSeconds ?? {} },
    series,
    logs,
    logMetrics: s.logMetrics ?? [],
    slos: s.slos ?? [],
  };
}

// ---- time anchors and size limits -------------------------------------------------------------------------------

const ANCHOR_REF = /^(start|end|incident)\s*(?:[+-]|$)/;
const ANCHOR_FIELD = { start: 'start', end: 'end', incident: 'incidentStart' } as const;

/**
 * `start`, `end` and `incidentStart` may each be ISO or refer to one of the others (`start: end-3d`,
 * `end: incident+2h`, `incidentStart: start+4h`): each is resolved after the one it names, so every reference means
 * what it says. A reference cycle (`start: end-1d` with `end: start+1d`), a reference to a missing `incidentStart`,
 * an `end` not after `start`, an `incidentStart` outside [start, end) and a span over SCENARIO_LIMITS.days are one
 * InputError each.
 */
export function resolveAnchors(s: Pick<ScenarioSpec, 'start' | 'end' | 'incidentStart'>, file: string): { start: number; end: number; incidentStart?: number } {
  const raw: Record<'start' | 'end' | 'incident', string | undefined> = { start: s.start, end: s.end, incident: s.incidentStart };
  const done: Partial<Record<'start' | 'end' | 'incident', number>> = {};
  const resolve = (name: 'start' | 'end' | 'incident', chain: string[]): number => {
    if (done[name] !== undefined) return done[name]!;
    const field = ANCHOR_FIELD[name];
    const ref = raw[name]!;
    const m = ANCHOR_REF.exec(ref.trim());
    const ctx: TimeContext = { start: NaN, end: NaN };
    if (m) {
      const base = m[1] as 'start' | 'end' | 'incident';
      if (chain.includes(base) || base === name) {
        const cycle = [...chain, name, base].map((n) => `${ANCHOR_FIELD[n as keyof typeof ANCHOR_FIELD]}: ${JSON.stringify(raw[n as keyof typeof raw])}`);
        throw new InputError(
          file,
          ANCHOR_FIELD[(chain[0] ?? name) as keyof typeof ANCHOR_FIELD],
          `circular time reference (${cycle.slice(cycle.indexOf(cycle[cycle.length - 1])).join(' -> ')}); give one of them as an ISO time`,
        );
      }
      if (raw[base] === undefined) throw new InputError(file, field, `"${ref}" refers to the incident but the scenario has no incidentStart`);
      const v = resolve(base, [...chain, name]);
      if (base === 'start') ctx.start = v;
      else if (base === 'end') ctx.end = v;
      else ctx.incidentStart = v;
    }
    let t: number;
    try {
      t = resolveTime(ref, ctx);
    } catch (e) {
      throw new InputError(file, field, (e as Error).message);
    }
    done[name] = t;
    return t;
  };
  const start = resolve('start', []);
  const end = resolve('end', []);
  const incidentStart = raw.incident !== undefined ? resolve('incident', []) : undefined;
  if (!(end > start)) throw new InputError(file, 'end', `must be after start (start ${iso(start)}, end ${iso(end)})`);
  // Detection delays are measured from the incident: outside the scenario there is no data to detect it in.
  if (incidentStart !== undefined && !(incidentStart >= start && incidentStart < end)) {
    throw new InputError(
      file,
      'incidentStart',
      `must lie in [start, end): ${iso(incidentStart)} is ${incidentStart < start ? `before start ${iso(start)}` : `not before end ${iso(end)}`}`,
    );
  }
  const days = (end - start) / 86_400_000;
  if (days > SCENARIO_LIMITS.days) {
    throw new InputError(
      file,
      'end',
      `the scenario spans ${days.toFixed(1)} days (${iso(start)} to ${iso(end)}), over the limit of ${SCENARIO_LIMITS.days} days (SCENARIO_LIMITS.days, gcp/simulate/README.md "Size limits"); check start and end`,
    );
  }
  return { start, end, incidentStart };
}

function iso(t: number): string {
  return Number.isFinite(t) && Math.abs(t) < 8.64e15 ? new Date(t).toISOString() : String(t);
}

/**
 * Documented caps on a scenario's size (gcp/simulate/README.md "Size limits"), checked before anything is
 * materialised so a mistaken scenario fails in milliseconds with a message naming the cap instead of growing to
 * gigabytes: the simulator keeps every series point, every log entry and, per condition, one value per output series
 * and evaluation time. Measured (`npm run bench -- --big`, prod's 15 policies): 10,000 series over a day about 0.7 GB,
 * a year at 60 s steps with 120 s evaluations about 0.7 GB; a year at 30 s evaluations, now refused, took 2.3 GB.
 */
export const SCENARIO_LIMITS = {
  /** Longest scenario: a year and a month (an SLO's 28-day window plus history fits many times over). */
  days: 400,
  /** Series points materialised from generators, latency shapes and explicit points, summed over all series. */
  points: 20_000_000,
  /** Evaluation times (every policy keeps, per condition and output series, one value per evaluation time). */
  evaluations: 300_000,
  /** Series × evaluation times: the engine's per-condition working set. */
  seriesEvaluations: 40_000_000,
  /** Log entries from `logs` files, inline entries and `logStreams`. */
  logEntries: 2_000_000,
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function checkScenarioSize(s: ScenarioSpec, file: string, start: number, end: number, step: number, evalInterval: number, evaluateFrom: number): void {
  let points = 0;
  (s.series ?? []).forEach((sp) => {
    if (sp.points) {
      points += sp.points.length;
      return;
    }
    let st = step;
    try {
      if (sp.step !== undefined) st = parseHumanDuration(sp.step);
    } catch {
      /* reported when the series is materialised */
    }
    if (st > 0) points += Math.floor((end - start) / (st * 1000)) + 1;
  });
  if (points > SCENARIO_LIMITS.points) {
    throw new InputError(
      file,
      'series',
      `${fmt(points)} points (${(s.series ?? []).length} series over ${((end - start) / 86_400_000).toFixed(1)} days at ${step} s steps) exceed the limit of ${fmt(SCENARIO_LIMITS.points)} (SCENARIO_LIMITS.points, gcp/simulate/README.md "Size limits"); use fewer series, a shorter span or a longer step`,
    );
  }
  const evaluations = Math.floor((end - evaluateFrom) / (evalInterval * 1000)) + 1;
  if (evaluations > SCENARIO_LIMITS.evaluations) {
    throw new InputError(
      file,
      'evaluationInterval',
      `${fmt(evaluations)} evaluation times (${((end - evaluateFrom) / 86_400_000).toFixed(1)} days every ${evalInterval} s) exceed the limit of ${fmt(SCENARIO_LIMITS.evaluations)} (SCENARIO_LIMITS.evaluations, gcp/simulate/README.md "Size limits"); set a longer evaluationInterval (a year fits at 120s) or a later evaluateFrom`,
    );
  }
  const work = (s.series ?? []).length * evaluations;
  if (work > SCENARIO_LIMITS.seriesEvaluations) {
    throw new InputError(
      file,
      'series',
      `${(s.series ?? []).length} series × ${fmt(evaluations)} evaluation times = ${fmt(work)} exceed the limit of ${fmt(SCENARIO_LIMITS.seriesEvaluations)} (SCENARIO_LIMITS.seriesEvaluations, gcp/simulate/README.md "Size limits"); use fewer series, a later evaluateFrom or a longer evaluationInterval`,
    );
  }
}

function tooManyLogs(file: string, field: string): InputError {
  return new InputError(
    file,
    field,
    `more than ${fmt(SCENARIO_LIMITS.logEntries)} log entries (SCENARIO_LIMITS.logEntries, gcp/simulate/README.md "Size limits"); lower the stream's rate or shorten its from/until`,
  );
}

function describeIssue(issue: z.ZodIssue): string {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === z.ZodIssueCode.invalid_union) return 'does not match any allowed form (see gcp/simulate/README.md)';
  return issue.message;
}

/**
 * A `logs` file: LogEntry objects, one JSON object per line, or one JSON array of them as `gcloud logging read
 * --format=json` prints it (chosen by the first character, as check-logs reads). Each entry goes to `onEntry` with
 * where it is (`line 3`, `[2]`).
 */
function readLogFile(file: string, text: string, onEntry: (entry: LogEntry, where: string) => void): void {
  const lines = text.split('\n');
  const rawText = (line: string, ln: number) =>
    classifyLine(line).kind === 'app-text' ? new InputError(file, `line ${ln + 1}`, `not a LogEntry: this is ${RAW_APP_OUTPUT['app-text']}`) : undefined;
  if (text.trimStart().startsWith('[')) {
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (e) {
      // `[INFO] …`: the app's text output starts with a bracket too
      const first = lines.findIndex((l) => l.trim());
      throw (
        rawText(lines[first], first) ??
        new InputError(file, '', `not valid JSON (a JSON array of LogEntry objects, as \`gcloud logging read --format=json\` prints): ${(e as Error).message}`)
      );
    }
    (values as unknown[]).forEach((v, k) => onEntry(logEntry(v, file, `[${k}]`), `[${k}]`));
    return;
  }
  lines.forEach((line, ln) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw rawText(line, ln) ?? new InputError(file, `line ${ln + 1}`, `not valid JSON: ${(e as Error).message}`);
    }
    onEntry(logEntry(v, file, `line ${ln + 1}`), `line ${ln + 1}`);
  });
}

/**
 * A log entry of a scenario (inline or from a file) must be an object and not the app's raw stdout JSON: that one
 * has a timestamp but no LogEntry fields, so it was read without a word and no log filter matched it
 * (gcp/logging-query/input-kind.ts, the detection check-logs uses).
 */
function logEntry(v: unknown, file: string, where: string): LogEntry {
  if (typeof v !== 'object' || v === null || isArray(v)) throw new InputError(file, where, 'not a LogEntry: expected a JSON object');
  if (classifyValue(v).kind === 'app-json') throw new InputError(file, where, `not a LogEntry: this is ${RAW_APP_OUTPUT['app-json']}`);
  return v as LogEntry;
}

function entryTime(entry: LogEntry, file: string, where: string): number {
  const ts = entry.timestamp;
  if (typeof ts !== 'string')
    throw new InputError(file, `${where}.timestamp`, 'log entries need a timestamp (an RFC 3339 string such as 2025-11-12T17:00:00Z)');
  try {
    return parseRfc3339(ts);
  } catch (e) {
    throw new InputError(file, `${where}.timestamp`, (e as Error).message);
  }
}

// ---- materialisation ---------------------------------------------------------------------------------------------

function materializeSeries(sp: SeriesSpec, index: number, defaultStep: number, ctx: TimeContext, file: string): TimeSeries {
  const sources = ['value', 'latency', 'buckets', 'points'].filter((k) => (sp as Record<string, unknown>)[k] !== undefined);
  if (sources.length !== 1) throw new Error(`exactly one of value, latency, buckets, points is required (got ${sources.join(', ') || 'none'})`);
  const isDist = sp.valueType === 'DISTRIBUTION';
  if (isDist && sp.value !== undefined) throw new Error('a DISTRIBUTION series takes latency, buckets or points, not value');
  if (!isDist && (sp.latency || sp.buckets)) throw new Error(`latency/buckets need valueType DISTRIBUTION (got ${sp.valueType})`);
  if (isDist && sp.kind === 'CUMULATIVE') throw new Error('CUMULATIVE DISTRIBUTION series are not supported by the simulator; use DELTA');
  const stepSeconds = sp.step !== undefined ? parseHumanDuration(sp.step) : defaultStep;
  if (!(stepSeconds > 0)) throw new Error('step must be > 0');
  const stepMs = stepSeconds * 1000;
  const from = sp.from !== undefined ? resolveTime(sp.from, ctx) : -Infinity;
  const until = sp.until !== undefined ? resolveTime(sp.until, ctx) : Infinity;
  const gaps = (sp.gaps ?? []).map((g) => [resolveTime(g.from, ctx), resolveTime(g.until, ctx)] as const);
  const present = gaps.length ? (t: number) => t >= from && t < until && !gaps.some(([a, b]) => t >= a && t < b) : (t: number) => t >= from && t < until;

  const times: number[] = [];
  const values: PointValue[] = [];
  const series: TimeSeries = {
    metric: { type: sp.metric.type, labels: { ...(sp.metric.labels ?? {}) } },
    resource: { type: sp.resource.type, labels: { ...(sp.resource.labels ?? {}) } },
    metricKind: sp.kind,
    valueType: sp.valueType,
    times,
    values,
    origin: `${file} series[${index}]`,
  };

  if (sp.points) {
    const pts = sp.points
      .map((p, i) => {
        const t = resolveTime(p.t, ctx);
        let v: PointValue;
        if (typeof p.v === 'boolean') {
          if (sp.valueType !== 'BOOL') throw new Error(`points[${i}].v: boolean value in a ${sp.valueType} series`);
          v = p.v ? 1 : 0;
        } else if (typeof p.v === 'number') {
          if (isDist) throw new Error(`points[${i}].v: a DISTRIBUTION series needs {bucketCounts, bucketOptions}`);
          v = sp.valueType === 'BOOL' ? (p.v ? 1 : 0) : p.v;
        } else {
          if (!isDist) throw new Error(`points[${i}].v: distribution value in a ${sp.valueType} series`);
          const bo = p.v.bucketOptions ?? DEFAULT_LATENCY_BUCKETS;
          if (p.v.bucketCounts.length !== bucketCount(bo))
            throw new Error(
              `points[${i}].v.bucketCounts: expected ${bucketCount(bo)} counts (finite buckets + underflow + overflow), got ${p.v.bucketCounts.length}`,
            );
          const count = p.v.bucketCounts.reduce((a, b) => a + b, 0);
          v = { bucketOptions: bo, bucketCounts: [...p.v.bucketCounts], count, mean: p.v.mean ?? 0 } as Distribution;
        }
        return { t, v };
      })
      .sort((a, b) => a.t - b.t);
    for (let i = 0; i < pts.length; i++) {
      if (i > 0 && pts[i].t === pts[i - 1].t) throw new Error(`points: two points at ${new Date(pts[i].t).toISOString()}`);
      times.push(pts[i].t);
      values.push(pts[i].v);
    }
    if (sp.kind === 'CUMULATIVE') void 0; // explicit CUMULATIVE points are taken as the running totals they are
    return series;
  }

  // Point k sits at start + k*step. GAUGE points are samples at t; DELTA/CUMULATIVE points cover (t - step, t] and
  // their generator is read at the interval midpoint.
  const firstK = sp.kind === 'GAUGE' ? 0 : 1;
  const nPoints = Math.floor((ctx.end - ctx.start) / stepMs);
  if (sp.value !== undefined) {
    const gen = compileGenerator(sp.value, ctx);
    const rounder = countDrawer(sp.counts);
    // The kind and value type, decided once for the whole loop (points can number hundreds of thousands).
    const gauge = sp.kind === 'GAUGE';
    const cumulative = sp.kind === 'CUMULATIVE';
    const int64 = sp.valueType === 'INT64';
    const bool = sp.valueType === 'BOOL';
    if (!gauge && bool && firstK <= nPoints) throw new Error(`a ${sp.kind} BOOL series is not meaningful; use GAUGE`);
    let total = 0;
    for (let k = firstK; k <= nPoints; k++) {
      const t = ctx.start + k * stepMs;
      let v: number;
      if (gauge) {
        const g = gen(t, k);
        v = bool ? (g >= 0.5 ? 1 : 0) : int64 ? round(g) : g;
      } else {
        // DELTA/CUMULATIVE: the generator is a rate per second; the point carries the count over the step.
        const expected = gen(t - stepMs / 2, k) * stepSeconds;
        v = int64 ? rounder.next(expected) : max(0, expected);
      }
      if (cumulative) {
        total += v;
        v = total;
      }
      if (!present(t)) continue;
      times.push(t);
      values.push(v);
    }
    return series;
  }
  if (sp.buckets) {
    const bo = sp.buckets.bucketOptions;
    if (sp.buckets.counts.length !== bucketCount(bo))
      throw new Error(`buckets.counts: expected ${bucketCount(bo)} counts (finite buckets + underflow + overflow), got ${sp.buckets.counts.length}`);
    const count = sp.buckets.counts.reduce((a, b) => a + b, 0);
    for (let k = firstK; k <= nPoints; k++) {
      const t = ctx.start + k * stepMs;
      if (!present(t)) continue;
      times.push(t);
      values.push({ bucketOptions: bo, bucketCounts: [...sp.buckets.counts], count, mean: 0 });
    }
    return series;
  }
  const lat = sp.latency!;
  const bo = lat.bucketOptions ?? DEFAULT_LATENCY_BUCKETS;
  const p50 = compileGenerator(lat.p50, ctx, 'latency.p50');
  const p95 = compileGenerator(lat.p95, ctx, 'latency.p95');
  const rate = compileGenerator(lat.rate, ctx, 'latency.rate');
  const rounder = countDrawer(sp.counts);
  const gauge = sp.kind === 'GAUGE';
  for (let k = firstK; k <= nPoints; k++) {
    const t = ctx.start + k * stepMs;
    const mid = gauge ? t : t - stepMs / 2;
    // `rate` is requests per second; a point carries rate × step samples (GAUGE: the same, as a snapshot).
    const n = rounder.next(rate(mid, k) * stepSeconds);
    if (!present(t)) continue;
    const d = lognormalDistribution(bo, n, p50(mid, k), p95(mid, k));
    if (n === 0) continue; // no requests in the step: no point (Cloud Run writes none)
    times.push(t);
    values.push(d);
  }
  return series;
}
