/**
 * Backtest: the project's real history replayed through the simulator engine (gcp/simulate), for the working
 * tree's policies and a comparison (another synth, or the policies deployed now), so a change can be judged by the
 * incidents it would have opened over a real period.
 *
 * Data: plan.ts says what each policy reads and how far back; fetch.ts reads it (cached). Log-based metrics
 * (`logging.googleapis.com/user/<name>`) are read from their own series when the deployed metric has the working
 * tree's definition and was last changed before the data start; otherwise (a new or changed metric) their points
 * are rebuilt from the log entries the working tree's filter matches, with the project's Logging-query evaluator
 * (gcp/simulate/logmetrics.ts → tools/logging-query). Missing points stay missing: the engine evaluates them as
 * missing data (evaluationMissingData), never as zero, and gaps are listed in the report.
 */
import { comparisons, mapComparisons, parseFilter, parseSeriesFilter, printFilter, type Comparison, type ParsedFilter } from '../../gcp/filter';
import { parseProtoDuration } from '../../gcp/simulate/errors';
import { matchesFilter, parseMonitoringFilter } from '../../gcp/simulate/filter';
import { loadPolicyDocument, type PolicySet } from '../../gcp/simulate/policies';
import { logMetricSeries, LOG_METRIC_PREFIX, type SimLogMetric } from '../../gcp/simulate/logmetrics';
import type { Scenario } from '../../gcp/simulate/scenario';
import { simulateScenario } from '../../gcp/simulate/simulate';
import type { PolicyResult, ScenarioResult } from '../../gcp/simulate/engine';
import type { ApiAlertPolicy } from '../../gcp/api/alert-policy';
import type { LogEntry, TimeSeries } from '../../gcp/simulate/types';
import { mergeSeries, timeMs, timeSeriesFromApi } from './convert';
import { BacktestError, DEFAULT_CAPS, Fetcher, PartialDataError } from './fetch';
import { coveringQueries, emptyPlan, planPolicies, type Plan, type SeriesQuery } from './plan';

const DAY = 86_400_000;
/** Metric data is kept 24 months (gcp-facts §8.2); custom and log-based metrics at full resolution for ~6 weeks. */
export const METRIC_RETENTION_MS = 730 * DAY;
export const FULL_RESOLUTION_MS = 42 * DAY;
const DOWNSAMPLED = /^(custom\.googleapis\.com|logging\.googleapis\.com\/user|workload\.googleapis\.com|external\.googleapis\.com)\//;

export interface Side {
  label: string;
  set: PolicySet;
  /**
   * A synth's uptime checks: Terraform resource name → display name. The synth's filters say
   * `metric.labels.check_id="<resource name>"` (gcp/simulate/policies.ts); the deployed check with that display
   * name gives the real id, read with listUptimeCheckConfigs.
   */
  uptimeChecks?: Record<string, string>;
}

/** A copy of the policy with each Monitoring filter of its conditions (threshold, ratio denominator, absence) passed through `f`. */
function mapMonitoringFilters(policy: ApiAlertPolicy, f: (filter: string) => string): ApiAlertPolicy {
  if (!policy.conditions) return policy;
  const conditions = policy.conditions.map((c) => {
    const out = { ...c };
    if (c.conditionThreshold) {
      const th = { ...c.conditionThreshold };
      if (th.filter !== undefined) th.filter = f(th.filter);
      if (th.denominatorFilter !== undefined) th.denominatorFilter = f(th.denominatorFilter);
      out.conditionThreshold = th;
    }
    if (c.conditionAbsent?.filter !== undefined) out.conditionAbsent = { ...c.conditionAbsent, filter: f(c.conditionAbsent.filter) };
    return out;
  });
  return { ...policy, conditions };
}

const isCheckId = (c: Comparison) => c.sel.kind === 'metric.label' && c.sel.key === 'check_id';

/** The values a filter compares `metric.labels.check_id` to (`=`, `!=`, one_of); none when it does not parse. */
function checkIdsIn(filter: string): string[] {
  let tree: ParsedFilter;
  try {
    tree = parseFilter(filter);
  } catch {
    return [];
  }
  if (tree.op === 'slo') return [];
  return comparisons(tree)
    .map(({ cmp }) => cmp)
    .filter(isCheckId)
    .flatMap((c) => (c.rhs.fn === 'eq' ? [String(c.rhs.value)] : c.rhs.fn === 'one_of' ? c.rhs.values : []));
}

/** The filter with check_id values renamed by `ids` (TF name → deployed id); the same text when none is. */
function renameCheckIds(filter: string, ids: Map<string, string>): string {
  if (!checkIdsIn(filter).some((v) => ids.has(v))) return filter;
  const rename = (v: string) => ids.get(v) ?? v;
  const tree = mapComparisons(parseSeriesFilter(filter), (c) => {
    if (!isCheckId(c)) return c;
    if (c.rhs.fn === 'eq' && typeof c.rhs.value === 'string') return { ...c, rhs: { ...c.rhs, value: rename(c.rhs.value) } };
    if (c.rhs.fn === 'one_of') return { ...c, rhs: { ...c.rhs, values: c.rhs.values.map(rename) } };
    return c;
  });
  return printFilter(tree);
}

/** Replaces each `check_id` compared to a TF resource name by the deployed check's id, in every filter of the side (a copy). */
export async function resolveUptimeIds(
  side: Side,
  o: { fetcher: Pick<Fetcher, 'listUptimeChecks'>; project: string; now: number },
  notes: string[],
): Promise<Side> {
  const named = new Set<string>();
  const collect = (filter: string) => {
    for (const v of checkIdsIn(filter)) named.add(v);
    return filter;
  };
  for (const { policy } of side.set.policies) mapMonitoringFilters(policy, collect);
  const used = Object.entries(side.uptimeChecks ?? {}).filter(([tf]) => named.has(tf));
  if (!used.length) return side;
  const deployed = await o.fetcher.listUptimeChecks(o.project, snapshotDay(o.now));
  const ids = new Map<string, string>();
  for (const [tf, display] of used) {
    const live = deployed.find((d) => d.displayName === display);
    const id = live
      ? String(live.name ?? '')
          .split('/')
          .pop()
      : undefined;
    if (id) ids.set(tf, id);
    else notes.push(`${side.label}: uptime check "${display}" (${tf}) is not deployed: the policies reading it see no data`);
  }
  if (!ids.size) return side;
  const policies = side.set.policies.map((p) => ({ ...p, policy: mapMonitoringFilters(p.policy, (f) => renameCheckIds(f, ids)) }));
  return { ...side, set: { ...side.set, policies } };
}

export interface BacktestOptions {
  env: string;
  project: string;
  from: number;
  to: number;
  head: Side;
  /** The comparison; `'deployed'` reads the project's alert policies with listAlertPolicies. */
  base?: Side | 'deployed';
  /** `_Default` log bucket retention (the synth's google_logging_project_bucket_config, 30 d here). */
  logRetentionDays: number;
  now: number;
  allowLarge?: boolean;
  fetcher: Fetcher;
}

export interface Incident {
  start: string;
  /** null: still open at the end of the period. */
  end: string | null;
  /** Most extreme value of the condition that opened it (threshold: its aligned value; log match: entries). */
  peak: number | null;
  condition: string;
}

export interface PolicyIncidents {
  displayName: string;
  incidents: Incident[];
  disabled?: boolean;
  /** Not evaluated: the engine's reason, or the data it would need is incomplete. */
  error?: string;
}

export interface SideResult {
  label: string;
  policies: PolicyIncidents[];
  total: number;
}

export interface Gap {
  filter: string;
  from: string;
  until: string;
}

export interface BacktestResult {
  env: string;
  project: string;
  from: string;
  to: string;
  head: SideResult;
  base?: SideResult;
  data: {
    seriesQueries: number;
    logQueries: number;
    series: number;
    points: number;
    logEntries: number;
    /** log-based metric → where its points came from. */
    logMetricSources: Record<string, string>;
    pagesFetched: number;
    pagesFromCache: number;
    retries: number;
  };
  gaps: Gap[];
  /** Queries that stopped early; the policies reading them are reported as not evaluated. */
  partial: string[];
  notes: string[];
}

const iso = (t: number) => new Date(t).toISOString();
/**
 * The deployed state (policies, log-based metric definitions, uptime checks) is read once per UTC day of the run and
 * cached with the data, so reruns and policy iterations that day are offline and compare with the same snapshot.
 */
const snapshotDay = (now: number) => new Date(now).toISOString().slice(0, 10);

/** Deployed log-based metric vs the working tree's: same definition (filter, extractors, buckets)? */
function sameDefinition(deployed: Record<string, unknown>, head: SimLogMetric): boolean {
  const m = head.metric;
  const norm = (x: unknown) => JSON.stringify(x ?? null);
  return (
    deployed.filter === m.filter &&
    norm(deployed.labelExtractors ?? {}) === norm(m.labelExtractors ?? {}) &&
    (deployed.valueExtractor ?? undefined) === (m.valueExtractor ?? undefined) &&
    (m.valueType !== 'DISTRIBUTION' || norm(deployed.bucketOptions) === norm(head.bucketOptions))
  );
}

export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  if (!(o.to > o.from)) throw new BacktestError('backtest: option --to: must be after --from', 2);
  if (o.to > o.now) throw new BacktestError(`backtest: option --to: ${iso(o.to)} is in the future`, 2);
  const days = (o.to - o.from) / DAY;
  if (days > DEFAULT_CAPS.days && !o.allowLarge) {
    throw new BacktestError(
      `backtest: the period is ${days.toFixed(1)} days, over the ${DEFAULT_CAPS.days}-day cap for one run; pass --allow-large to pull it anyway`,
      2,
    );
  }
  const notes: string[] = [];
  let base: Side | undefined;
  if (o.base === 'deployed') {
    const list = await o.fetcher.listAlertPolicies(o.project, snapshotDay(o.now));
    const set = loadPolicyDocument({ alertPolicies: list as ApiAlertPolicy[] }, `projects/${o.project}/alertPolicies`);
    // Deployed SLO selectors name real SLO resources; the working tree's definitions resolve the same names.
    base = { label: 'deployed policies', set: { ...set, slos: [...o.head.set.slos], knownMetrics: o.head.set.knownMetrics } };
  } else base = o.base;

  const head = await resolveUptimeIds(o.head, o, notes);
  if (base) base = await resolveUptimeIds(base, o, notes);
  const plan: Plan = emptyPlan();
  planPolicies(head.set, plan);
  if (base) planPolicies(base.set, plan);
  notes.push(...plan.notes);

  // ---- log-based metrics: their own series, or rebuilt from log entries ------------------------------------------
  const logFed = new Map<string, { metric: SimLogMetric; lookbackMs: number; reason: string }>();
  const logMetricSources: Record<string, string> = {};
  const logTypes = [...new Set([...plan.series.values()].map((q) => q.metricType).filter((t) => t.startsWith(LOG_METRIC_PREFIX)))];
  if (logTypes.length) {
    const deployed = await o.fetcher.listLogMetrics(o.project, snapshotDay(o.now));
    for (const type of logTypes) {
      const name = type.slice(LOG_METRIC_PREFIX.length);
      const mine = o.head.set.logMetrics.find((m) => m.metric.name === name);
      const lookbackMs = Math.max(...[...plan.series.values()].filter((q) => q.metricType === type).map((q) => q.lookbackMs));
      const dataStart = o.from - lookbackMs;
      const live = deployed.find((d) => d.name === name || String(d.name).endsWith(`/metrics/${name}`));
      const changed = live ? Math.max(timeMs(live.createTime), timeMs(live.updateTime ?? live.createTime)) : NaN;
      let reason: string | undefined;
      if (!mine) reason = undefined;
      else if (!live) reason = 'not deployed';
      else if (!sameDefinition(live, mine)) reason = 'deployed with another definition';
      else if (!(changed <= dataStart)) reason = `deployed or changed at ${Number.isFinite(changed) ? iso(changed) : 'an unknown time'}, after the data start`;
      if (reason && mine) {
        logFed.set(type, { metric: mine, lookbackMs, reason });
        logMetricSources[name] = `log entries (${reason})`;
      } else {
        logMetricSources[name] = live ? 'its own time series' : 'its own time series (not defined in the working tree)';
      }
    }
  }

  // ---- retention, up front ---------------------------------------------------------------------------------------
  for (const q of plan.series.values()) {
    if (logFed.has(q.metricType)) continue;
    const start = o.from - q.lookbackMs;
    if (start < o.now - METRIC_RETENTION_MS) {
      throw new BacktestError(
        `backtest: ${q.metricType} data before ${iso(o.now - METRIC_RETENTION_MS)} is gone (metric data is kept 24 months, gcp-facts §8.2); the period needs it from ${iso(start)}`,
        2,
      );
    }
    if (DOWNSAMPLED.test(q.metricType) && start < o.now - FULL_RESOLUTION_MS) {
      throw new BacktestError(
        `backtest: ${q.metricType} is kept at full resolution for about 6 weeks only (gcp-facts §8.2), back to ${iso(o.now - FULL_RESOLUTION_MS)}; the period needs raw points from ${iso(start)}: move --from later`,
        2,
      );
    }
  }
  const logRetentionStart = o.now - o.logRetentionDays * DAY;
  for (const [type, lf] of logFed) {
    const start = o.from - lf.lookbackMs;
    if (start < logRetentionStart) {
      throw new BacktestError(
        `backtest: ${type} must be rebuilt from log entries (${lf.reason}), but the _Default log bucket keeps ${o.logRetentionDays} days (entries since ${iso(logRetentionStart)}); the period needs them from ${iso(start)}: move --from later`,
        2,
      );
    }
  }
  for (const q of plan.logs.values()) {
    if (o.from < logRetentionStart) {
      throw new BacktestError(
        `backtest: log-match condition(s) ${q.readers.join(', ')} need log entries from ${iso(o.from)}, but the _Default log bucket keeps ${o.logRetentionDays} days (since ${iso(logRetentionStart)})`,
        2,
      );
    }
  }

  // ---- fetch ----------------------------------------------------------------------------------------------------
  const partial: string[] = [];
  const incompleteReaders = new Map<string, string>();
  const markIncomplete = (readers: string[], why: string) => {
    partial.push(why);
    for (const r of readers) {
      const policy = r.split(' / ')[0];
      if (!incompleteReaders.has(policy)) incompleteReaders.set(policy, why);
    }
  };
  const fetched: TimeSeries[] = [];
  let dataStart = o.from;
  const gaps: Gap[] = [];
  const seriesQueries = [...plan.series.values()].filter((q) => !logFed.has(q.metricType));
  // Each series is read once: a query whose filter adds terms to another's (over a range that one covers) takes its
  // series from that one's answer, selected with the filter evaluator the replay itself uses. Should that read stop
  // early, the query is read on its own.
  const cover = coveringQueries(seriesQueries);
  const answers = new Map<SeriesQuery, Promise<unknown[]>>();
  const read = (q: SeriesQuery) => {
    let answer = answers.get(q);
    if (!answer) {
      answer = o.fetcher.listTimeSeries(o.project, q.filter, o.from - q.lookbackMs, o.to);
      answer.catch(() => undefined); // awaited (and reported) where it is used
      answers.set(q, answer);
    }
    return answer;
  };
  const readCovered = async (q: SeriesQuery, by: SeriesQuery, start: number) => {
    let all: unknown[];
    try {
      all = await read(by);
    } catch (e) {
      if (!(e instanceof PartialDataError)) throw e;
      return read(q);
    }
    return selectSeries(all, q.filter, start, o.to);
  };
  for (const q of seriesQueries) {
    const start = o.from - q.lookbackMs;
    dataStart = Math.min(dataStart, start);
    try {
      const by = cover.get(q);
      const raw = by ? await readCovered(q, by, start) : await read(q);
      const series = raw.map((s, i) => timeSeriesFromApi(s, `projects/${o.project} ${q.metricType} #${i}`));
      fetched.push(...series);
      if (!series.length) notes.push(`no time series matched over the period (missing data for ${q.readers.join('; ')}): ${q.filter}`);
      gaps.push(
        ...findGaps(
          q.filter,
          series.filter((s) => s.metricKind === 'GAUGE'),
          start,
          o.to,
        ),
      );
    } catch (e) {
      if (!(e instanceof PartialDataError)) throw e;
      markIncomplete(q.readers, e.message);
    }
  }
  const logSeries: TimeSeries[] = [];
  let logEntries = 0;
  for (const [type, lf] of logFed) {
    const start = o.from - lf.lookbackMs;
    dataStart = Math.min(dataStart, start);
    const readers = [...plan.series.values()].filter((q) => q.metricType === type).flatMap((q) => q.readers);
    try {
      const entries = await o.fetcher.listLogEntries(o.project, lf.metric.metric.filter, start, o.to);
      logEntries += entries.length;
      logSeries.push(...logMetricSeries([lf.metric], toTimed(entries)));
    } catch (e) {
      if (!(e instanceof PartialDataError)) throw e;
      markIncomplete(readers, e.message);
    }
  }
  const matchedLogs = new Map<string, { t: number; entry: LogEntry }>();
  for (const q of plan.logs.values()) {
    try {
      const entries = await o.fetcher.listLogEntries(o.project, q.filter, o.from, o.to);
      logEntries += entries.length;
      for (const x of toTimed(entries)) matchedLogs.set(`${x.entry.logName}|${x.entry.insertId}|${x.entry.timestamp}`, x);
    } catch (e) {
      if (!(e instanceof PartialDataError)) throw e;
      markIncomplete(q.readers, e.message);
    }
  }
  const allSeries = [...mergeSeries(fetched), ...logSeries];

  // ---- replay -----------------------------------------------------------------------------------------------------
  const scenario: Scenario = {
    name: `backtest ${o.env} ${iso(o.from)} – ${iso(o.to)}`,
    file: `projects/${o.project}`,
    start: dataStart,
    end: o.to,
    stepSeconds: 60,
    evaluationIntervalSeconds: 30,
    evaluateFrom: o.from,
    ingestionDelays: {},
    expect: { fire: [], notFire: [], maxDetectionSeconds: {} },
    series: allSeries,
    logs: [...matchedLogs.values()].sort((a, b) => a.t - b.t),
    logMetrics: [],
    slos: [],
  };
  const replay = (side: Side): SideResult => {
    // Log-based metric points are already in allSeries (own series or rebuilt): the engine must not rebuild them.
    const r = simulateScenario({ ...side.set, logMetrics: [] }, scenario);
    const policies = r.policies.map((p, i) => {
      const period = side.set.policies[i]?.policy.alertStrategy?.notificationRateLimit?.period;
      let rateLimitMs: number;
      try {
        rateLimitMs = period ? parseProtoDuration(period) * 1000 : 0;
      } catch {
        rateLimitMs = 0;
      }
      return incidentsOf(p, r, incompleteReaders.get(p.displayName), rateLimitMs);
    });
    return { label: side.label, policies, total: policies.reduce((a, p) => a + p.incidents.length, 0) };
  };
  const headResult = replay(head);
  const baseResult = base ? replay(base) : undefined;
  const st = o.fetcher.stats;
  return {
    env: o.env,
    project: o.project,
    from: iso(o.from),
    to: iso(o.to),
    head: headResult,
    ...(baseResult ? { base: baseResult } : {}),
    data: {
      seriesQueries: [...plan.series.values()].filter((q) => !logFed.has(q.metricType)).length,
      logQueries: logFed.size + plan.logs.size,
      series: allSeries.length,
      points: allSeries.reduce((a, s) => a + s.times.length, 0),
      logEntries,
      logMetricSources,
      pagesFetched: st.pagesFetched,
      pagesFromCache: st.pagesFromCache,
      retries: st.retries,
    },
    gaps,
    partial,
    notes,
  };
}

/**
 * The series of an API answer (REST JSON) that `filter` selects, with their points ending in [start, end] (none: left
 * out). For a query answered from a broader one's series the selection is the simulator's filter evaluator, not the
 * API: the replay filters every series with that same evaluator, so no alert result can differ; only the per-query
 * "no time series matched" note and the gap list could, where the evaluator and the API disagree on a filter.
 */
function selectSeries(all: unknown[], filter: string, start: number, end: number): unknown[] {
  const node = parseMonitoringFilter(filter);
  type Raw = { metric?: { type?: string; labels?: Record<string, string> }; resource?: { type?: string; labels?: Record<string, string> } };
  return all
    .filter((s) => {
      const r = s as Raw;
      return matchesFilter(node, {
        metric: { type: String(r.metric?.type), labels: r.metric?.labels ?? {} },
        resource: { type: String(r.resource?.type), labels: r.resource?.labels ?? {} },
      });
    })
    .map((s) => ({
      ...(s as object),
      points: (((s as { points?: unknown[] }).points ?? []) as { interval?: { endTime?: string } }[]).filter((p) => {
        const t = timeMs(p.interval?.endTime ?? '');
        return t >= start && t <= end;
      }),
    }))
    .filter((s) => s.points.length > 0);
}

function toTimed(entries: Record<string, unknown>[]): { t: number; entry: LogEntry }[] {
  return entries
    .map((entry) => ({ t: timeMs(entry.timestamp), entry: entry as LogEntry }))
    .filter((x) => Number.isFinite(x.t))
    .sort((a, b) => a.t - b.t);
}

/**
 * Stretches with no point of any GAUGE series of a query, inside the fetched range: longer than 10 minutes and 5
 * times the usual spacing of the query's points. Counters (DELTA/CUMULATIVE: Cloud Run request counts, log-based
 * metrics) write no point when nothing happened, so their silence is not a gap and is not listed.
 */
export function findGaps(filter: string, series: TimeSeries[], start: number, end: number): Gap[] {
  const times = [...new Set(series.flatMap((s) => s.times))].sort((a, b) => a - b);
  if (times.length < 3) return [];
  const diffs = times
    .slice(1)
    .map((t, i) => t - times[i])
    .sort((a, b) => a - b);
  const usual = diffs[Math.floor(diffs.length / 2)];
  const limit = Math.max(10 * 60_000, 5 * usual);
  const out: Gap[] = [];
  const edges = [start, ...times, end];
  for (let i = 1; i < edges.length; i++) {
    if (edges[i] - edges[i - 1] > limit) out.push({ filter, from: iso(edges[i - 1]), until: iso(edges[i]) });
  }
  return out;
}

function incidentsOf(p: PolicyResult, r: ScenarioResult, incomplete: string | undefined, rateLimitMs: number): PolicyIncidents {
  const base: PolicyIncidents = { displayName: p.displayName, incidents: [], ...(p.disabled ? { disabled: true } : {}) };
  if (incomplete) return { ...base, error: `incomplete data, not evaluated: ${incomplete}` };
  if (p.error) return { ...base, error: p.error };
  const times = r.evaluationTimes;
  const idx = (t: number) => {
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const log = p.conditions.find((c) => c.type === 'log');
  if (log) {
    // Each notification the rate limit lets through opens an incident; matches inside the period join it (gcp-facts §1.7).
    const out: Incident[] = [];
    for (const t of log.logMatches ?? []) {
      const last = out[out.length - 1];
      if (last && t - Date.parse(last.start) < rateLimitMs) {
        last.end = iso(t);
        last.peak = (last.peak ?? 0) + 1;
        continue;
      }
      out.push({ start: iso(t), end: iso(t), peak: 1, condition: log.displayName });
    }
    return { ...base, incidents: out };
  }
  const incidents = p.windows.map((w): Incident => {
    const i0 = idx(w.start);
    const i1 = w.end === null ? times.length - 1 : Math.max(i0, idx(w.end) - 1);
    const opener = p.conditions.find((c) => c.met[i0]) ?? p.conditions[0];
    let peak: number | null = null;
    if (opener) {
      const lt = opener.comparison === 'COMPARISON_LT';
      for (const s of opener.series) {
        for (let i = i0; i <= i1; i++) {
          const v = s.values[i];
          if (v === null || v === undefined) continue;
          if (peak === null || (lt ? v < peak : v > peak)) peak = v;
        }
      }
    }
    return { start: iso(w.start), end: w.end === null ? null : iso(w.end), peak, condition: opener?.displayName ?? '' };
  });
  return { ...base, incidents };
}
