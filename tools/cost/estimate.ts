/**
 * The monthly bill of one environment's monitoring, from its synthesized resources and its traffic profile.
 *
 * - logging: bytes stored after the synthesized exclusions (evaluated on representative entries), after 50 GiB free;
 * - metrics: log-based metric series × points × bytes (1 point a minute per active series); app custom metrics only
 *   where something writes them;
 * - uptime: executions beyond the free million;
 * - alerting: the pricing model in force (pricing/gcp-observability-prices.json explains the decision), per metric
 *   reference and per point returned, with what consolidating duplicate queries would save.
 */
import { appCustomMetrics } from '../../catalog/signals';
import type { EnvironmentConfig } from '../../environments/schema';
import { metricTypesOf, labelEqualities, parseFilter as parseMonitoringFilter, type ParsedFilter } from '../../gcp/filter';
import { matches, parseFilter, type Filter, type LogEntry } from '../../gcp/logging-query';
import type { TfJson } from '../shared/synth-dir';
import { accessLine, appLine, requestLog, UPTIME_UA, workerLine } from './entries';
import type { Prices } from './prices';
import { averageRps, MINUTES_PER_MONTH, perMonth, scaleTraffic, SECONDS_PER_MONTH, type HourOfWeek, type Traffic } from './traffic';

export type CostGroup = 'logging' | 'metrics' | 'uptime' | 'alerting';

export interface CostItem {
  name: string;
  group: CostGroup;
  monthlyUsd: number;
  basis: string;
}

/** Exactly what `cost --json` prints. */
export interface CostReport {
  env: string;
  monthlyUsd: number;
  planScopeUsd: number;
  items: CostItem[];
}

export interface CostDetails {
  report: CostReport;
  /** GiB a month: ingested by the services, dropped by exclusions, stored (billed). */
  logs: { ingestedGiB: number; excludedGiB: number; storedGiB: number };
  metricsMiB: number;
  uptimeExecutions: number;
  alerting: { model: string; metricReferences: number; pointsPerMonth: number; consolidationSavingUsd: number; perConditionModelUsd: number };
  averageRps: number;
  multiplier: number;
  notes: string[];
}

/** Assumptions the traffic profile does not give (stated in each item's basis). */
export const ASSUMPTIONS = {
  /** Share of user requests that are static assets (favicon, robots.txt, docs assets). */
  staticAssetShare: 0.01,
  /** Share of user requests to the six tracked auth/content routes. */
  trackedRouteShare: 0.05,
  /** Requests an API instance serves a second before Cloud Run adds one (for liveness probes). */
  rpsPerInstance: 10,
  /** Cloud Run liveness probes of /health per instance a minute (every 30 s, vividly-app.md §1.2). */
  livenessPerInstancePerMinute: 2,
  /** Worker log lines per content generation (stage lines plus the completion line). */
  workerLinesPerGeneration: 10,
  /** Lockouts per failed login (normal failures rarely reach five for one account). */
  lockoutsPerFailure: 0.05,
  /** Generations that fail or are retried. */
  generationFailureShare: 0.02,
  /** Replayed refresh tokens an hour at peak. */
  replaysPerHourAtPeak: 0.1,
};

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const usd = (n: number) => `$${n.toFixed(2)}`;
const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

type Resources = Record<string, Record<string, any>>;
const resourcesOf = (stack: TfJson, type: string): Resources => (stack.resource?.[type] ?? {}) as Resources;
const firstBlock = (v: unknown): Record<string, any> | undefined => (Array.isArray(v) ? v[0] : (v as Record<string, any> | undefined));

// ---------------------------------------------------------------------------------------------------------------
// Logging

interface LogKind {
  name: string;
  /** Occurrences a month. */
  count: number;
  /** The entries one occurrence writes, with their sizes (a weight scales lines per request). */
  entries: Array<{ entry: LogEntry; bytes: number }>;
}

function logKinds(env: EnvironmentConfig, t: Traffic, stack: TfJson): LogKind[] {
  const api = env.services.api;
  const worker = env.services.pushWorker;
  const lineBytes = t.appLogBytesPerLine;
  const perLine = t.appLogLinesPerRequest / 3;
  const userRequests = perMonth(t, (h) => h.rps * 60);
  const kinds: LogKind[] = [
    {
      name: 'API requests',
      count: userRequests * (1 - ASSUMPTIONS.staticAssetShare),
      entries: [
        { entry: requestLog(env, api, 'GET', '/api/v1/students/me', 200), bytes: t.requestLogBytes },
        { entry: appLine(env, 'GET /api/v1/students/me'), bytes: lineBytes * perLine },
        { entry: appLine(env, 'GET /api/v1/students/me - 200'), bytes: lineBytes * perLine },
        { entry: accessLine(env, api, 'GET', '/api/v1/students/me', 200), bytes: lineBytes * perLine },
      ],
    },
    {
      name: 'static asset requests',
      count: userRequests * ASSUMPTIONS.staticAssetShare,
      entries: [
        { entry: requestLog(env, api, 'GET', '/favicon.ico', 404), bytes: t.requestLogBytes },
        { entry: appLine(env, 'GET /favicon.ico'), bytes: lineBytes * perLine },
        { entry: appLine(env, 'GET /favicon.ico - 404'), bytes: lineBytes * perLine },
        { entry: accessLine(env, api, 'GET', '/favicon.ico', 404), bytes: lineBytes * perLine },
      ],
    },
  ];
  for (const check of uptimeChecks(env, stack)) {
    const path = check.path;
    kinds.push({
      name: `uptime probes of ${check.target === 'api' ? 'the API' : 'the push worker'} (${check.name})`,
      count: check.executions,
      entries:
        check.target === 'api'
          ? [
              { entry: requestLog(env, api, 'GET', path, 200, UPTIME_UA), bytes: t.requestLogBytes },
              { entry: appLine(env, `GET ${path}`, { user_agent: UPTIME_UA }), bytes: lineBytes * perLine },
              { entry: appLine(env, `GET ${path} - 200`), bytes: lineBytes * perLine },
              { entry: accessLine(env, api, 'GET', path, 200), bytes: lineBytes * perLine },
            ]
          : [
              { entry: requestLog(env, check.service ?? worker, 'GET', path, 200, UPTIME_UA), bytes: t.requestLogBytes },
              { entry: accessLine(env, check.service ?? worker, 'GET', path, 200), bytes: lineBytes },
            ],
    });
  }
  kinds.push({
    name: 'Cloud Run liveness probes of the API',
    count: perMonth(t, (h) => Math.max(1, Math.ceil(h.rps / ASSUMPTIONS.rpsPerInstance)) * ASSUMPTIONS.livenessPerInstancePerMinute),
    entries: [
      { entry: appLine(env, `GET ${env.api.healthPath}`, { user_agent: 'GoogleHC/1.0' }), bytes: lineBytes * perLine },
      { entry: appLine(env, `GET ${env.api.healthPath} - 200`), bytes: lineBytes * perLine },
      { entry: accessLine(env, api, 'GET', env.api.healthPath, 200), bytes: lineBytes * perLine },
    ],
  });
  const generations = perMonth(t, (h) => (t.contentGenerationsPerHourAtPeak * h.peakShare) / 60);
  kinds.push({
    name: 'push worker (content generation)',
    count: generations,
    entries: [
      { entry: requestLog(env, worker, 'POST', '/push', 200, 'APIs-Google'), bytes: t.requestLogBytes },
      { entry: workerLine(env, 'Request completed successfully: request_id=abc duration=12.3s'), bytes: lineBytes * ASSUMPTIONS.workerLinesPerGeneration },
    ],
  });
  return kinds;
}

interface Exclusion {
  name: string;
  filter: Filter;
}

function exclusionsOf(stack: TfJson): Exclusion[] {
  return Object.entries(resourcesOf(stack, 'google_logging_project_exclusion'))
    .filter(([, r]) => r.disabled !== true && typeof r.filter === 'string' && !r.filter.includes('${'))
    .map(([id, r]) => ({ name: String(r.name ?? id), filter: parseFilter(r.filter, { name: `google_logging_project_exclusion.${id}` }) }));
}

function loggingItems(env: EnvironmentConfig, t: Traffic, stack: TfJson, prices: Prices): { items: CostItem[]; logs: CostDetails['logs'] } {
  const exclusions = exclusionsOf(stack);
  let ingested = 0;
  let excluded = 0;
  const savedBy = new Map<string, number>();
  for (const kind of logKinds(env, t, stack)) {
    for (const { entry, bytes } of kind.entries) {
      const total = kind.count * bytes;
      ingested += total;
      const hit = exclusions.find((x) => matches(x.filter, entry));
      if (hit) {
        excluded += total;
        savedBy.set(hit.name, (savedBy.get(hit.name) ?? 0) + total);
      }
    }
  }
  const stored = ingested - excluded;
  const free = prices.logging.freeGiBPerProjectMonth.value;
  const billable = Math.max(0, stored / GiB - free);
  const cost = billable * prices.logging.ingestionUsdPerGiB.value;
  const saved = [...savedBy].map(([n, b]) => `${n} ${fmt(b / GiB, 2)} GiB`).join(', ');
  const items: CostItem[] = [
    {
      name: 'log storage (ingestion)',
      group: 'logging',
      monthlyUsd: round(cost),
      basis:
        `${fmt(ingested / GiB, 1)} GiB written (${t.appLogLinesPerRequest} app lines × ${t.appLogBytesPerLine} B + ${t.requestLogBytes} B request log a request, ` +
        `diurnal average ${fmt(averageRps(t), 2)} req/s, uptime and liveness probes, worker lines), ` +
        `${fmt(excluded / GiB, 2)} GiB dropped by exclusions${saved ? ` (${saved})` : ' (none enabled)'}, ${fmt(stored / GiB, 1)} GiB stored; ` +
        `first ${free} GiB free, then $${prices.logging.ingestionUsdPerGiB.value}/GiB`,
    },
  ];
  if (env.logRetentionDays > 30) {
    const retained = (stored / GiB) * ((env.logRetentionDays - 30) / 30);
    items.push({
      name: 'log retention beyond 30 days',
      group: 'logging',
      monthlyUsd: round(retained * prices.logging.retentionUsdPerGiBMonthBeyond30Days.value),
      basis: `${fmt(retained, 1)} GiB held beyond 30 days (${env.logRetentionDays}-day retention) × $${prices.logging.retentionUsdPerGiBMonthBeyond30Days.value}/GiB-month`,
    });
  }
  return { items, logs: { ingestedGiB: ingested / GiB, excludedGiB: excluded / GiB, storedGiB: stored / GiB } };
}

// ---------------------------------------------------------------------------------------------------------------
// Log-based metrics: active series

/**
 * How a log metric's label combinations fill in: `perMinute` events a minute in an hour of the week, spread over
 * `weights` (one per label combination); `unbounded` gives every event its own series (a client-IP label).
 */
interface SeriesModel {
  perMinute: (h: HourOfWeek, t: Traffic, env: EnvironmentConfig) => number;
  weights?: number[];
  unbounded?: boolean;
  note: string;
}

const zipf = (n: number) => {
  const raw = Array.from({ length: n }, (_, i) => 1 / (i + 1));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / sum);
};
const failuresPerMinute = (h: HourOfWeek, t: Traffic) => (t.failedLoginsPerHourAtPeak * h.peakShare) / 60;
const generationsPerMinute = (h: HourOfWeek, t: Traffic) => (t.contentGenerationsPerHourAtPeak * h.peakShare) / 60;

const SERIES_MODELS: Record<string, SeriesModel> = {
  'vividly/api_request_latencies': { perMinute: (h) => h.rps * 60 + 4, note: 'every API request and probe, one series' },
  'vividly/tracked_route_requests': {
    perMinute: (h, t) => h.rps * 60 * ASSUMPTIONS.trackedRouteShare + failuresPerMinute(h, t),
    weights: zipf(10),
    note: `${ASSUMPTIONS.trackedRouteShare * 100} % of requests, about ten (route, status) pairs`,
  },
  'vividly/auth_rejections_by_client_ip': { perMinute: failuresPerMinute, unbounded: true, note: 'one series per failing client IP' },
  'vividly/account_lockouts': { perMinute: (h, t) => failuresPerMinute(h, t) * ASSUMPTIONS.lockoutsPerFailure, note: 'rare, one series' },
  'vividly/locked_login_attempts': { perMinute: (h, t) => failuresPerMinute(h, t) * ASSUMPTIONS.lockoutsPerFailure, note: 'rare, one series' },
  'vividly/rate_limit_rejections': { perMinute: (h, t) => h.rps * 60 * t.rateLimitedShare, note: '429 share of requests, one series' },
  'vividly/login_failure_reasons': { perMinute: failuresPerMinute, weights: [0.6, 0.35, 0.05], note: 'three reasons' },
  'vividly/token_refresh_replays': { perMinute: (h) => (ASSUMPTIONS.replaysPerHourAtPeak * h.peakShare) / 60, note: 'rare, one series' },
  'vividly/db_connection_errors': { perMinute: () => 0, note: 'none in normal operation' },
  'vividly/metric_write_failures': {
    // The app writes two points a request to vividly-dev-rich from every environment (vividly-app.md §3.3, §3.4).
    perMinute: (h, _t, env) => (env.projectId === 'vividly-dev-rich' ? h.rps * 60 * 0.1 : h.rps * 60 * 2),
    note: 'two failed writes a request outside dev (wrong project), collisions in dev; one series',
  },
  'vividly/content_generation_completed': { perMinute: generationsPerMinute, weights: [0.8, 0.2], note: 'generated or from cache' },
  'vividly/content_generation_duration': { perMinute: generationsPerMinute, note: 'one series' },
  'vividly/content_generation_failures': {
    perMinute: (h, t) => generationsPerMinute(h, t) * ASSUMPTIONS.generationFailureShare,
    weights: [0.95, 0.05],
    note: 'by stage: content_generation (almost all), message_parsing (assumed 5 %)',
  },
  'vividly/content_generation_retries': { perMinute: (h, t) => generationsPerMinute(h, t) * ASSUMPTIONS.generationFailureShare, note: 'one series' },
};

const DEFAULT_MODEL: SeriesModel = { perMinute: () => 0.01, note: 'no traffic model: assumed one series active 1 % of minutes' };

/** Expected active series-minutes a month (a series writes one point in each minute it has data). */
function seriesMinutes(model: SeriesModel, t: Traffic, env: EnvironmentConfig): number {
  return perMonth(t, (h) => {
    const lambda = model.perMinute(h, t, env);
    if (model.unbounded) return lambda;
    return (model.weights ?? [1]).reduce((s, w) => s + (1 - Math.exp(-lambda * w)), 0);
  });
}

function tieredMetricCost(mib: number, prices: Prices): number {
  let rest = Math.max(0, mib - prices.metrics.freeMiBPerBillingAccountMonth.value);
  let cost = 0;
  let floor = 0;
  for (const tier of prices.metrics.usdPerMiBTiers.value) {
    const size = tier.upToMiB === null ? Infinity : tier.upToMiB - floor;
    const used = Math.min(rest, size);
    cost += used * tier.usdPerMiB;
    rest -= used;
    floor = tier.upToMiB ?? floor;
    if (rest <= 0) break;
  }
  return cost;
}

function metricItems(env: EnvironmentConfig, t: Traffic, stack: TfJson, prices: Prices): { items: CostItem[]; mib: number } {
  const logMetrics = Object.values(resourcesOf(stack, 'google_logging_metric'));
  const rows = logMetrics
    .filter((m) => m.disabled !== true)
    .map((m) => {
      const name = String(m.name);
      const model = SERIES_MODELS[name] ?? DEFAULT_MODEL;
      const distribution = firstBlock(m.metric_descriptor)?.value_type === 'DISTRIBUTION';
      const bytes = distribution ? prices.metrics.bytesPerDistributionPoint.value : prices.metrics.bytesPerScalarPoint.value;
      const minutes = seriesMinutes(model, t, env);
      return { name, mib: (minutes * bytes) / MiB, avgSeries: minutes / MINUTES_PER_MONTH, model };
    })
    .sort((a, b) => b.mib - a.mib);
  const logMiB = rows.reduce((s, r) => s + r.mib, 0);

  // App-written custom metrics: only a writer costs anything, and the app writes to vividly-dev-rich from everywhere.
  const descriptors = Object.values(resourcesOf(stack, 'google_monitoring_metric_descriptor'));
  const written = descriptors.filter((d) => appCustomMetrics.find((m) => `custom.googleapis.com/vividly/${m.name}` === d.type)?.written);
  const landsHere = env.projectId === 'vividly-dev-rich';
  const customPoints = landsHere ? perMonth(t, (h) => h.rps * 60) * written.length : 0;
  const customMiB = (customPoints * prices.metrics.bytesPerScalarPoint.value) / MiB;

  const mib = logMiB + customMiB;
  const total = tieredMetricCost(mib, prices);
  const share = (part: number) => (mib > 0 ? (total * part) / mib : 0);
  const top = rows
    .slice(0, 3)
    .map((r) => `${r.name} ${fmt(r.mib, 2)} MiB (~${fmt(r.avgSeries, 1)} series: ${r.model.note})`)
    .join('; ');
  const free = prices.metrics.freeMiBPerBillingAccountMonth.value;
  return {
    mib,
    items: [
      {
        name: `log-based metrics (${rows.length})`,
        group: 'metrics',
        monthlyUsd: round(share(logMiB)),
        basis:
          `${fmt(logMiB, 2)} MiB/month: active series × 1 point/min × ${prices.metrics.bytesPerScalarPoint.value} B (${prices.metrics.bytesPerDistributionPoint.value} B a distribution point); largest: ${top}. ` +
          `First ${free} MiB free (per billing account), then $${prices.metrics.usdPerMiBTiers.value[0].usdPerMiB}/MiB`,
      },
      {
        name: `custom metric descriptors (${descriptors.length})`,
        group: 'metrics',
        monthlyUsd: round(share(customMiB)),
        basis: landsHere
          ? `${written.length} written by the app (one GAUGE point a request each, ${fmt(customMiB, 2)} MiB); the other ${descriptors.length - written.length} have no writer and cost $0`
          : `descriptors cost nothing without points: ${descriptors.length - written.length} have no writer, and the app writes its ${written.length} others to vividly-dev-rich, not ${env.projectId} (vividly-app.md §3.3)`,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Uptime

interface UptimeCheck {
  name: string;
  target: 'api' | 'worker';
  service?: string;
  path: string;
  regions: number;
  executions: number;
}

function uptimeChecks(env: EnvironmentConfig, stack: TfJson): UptimeCheck[] {
  return Object.entries(resourcesOf(stack, 'google_monitoring_uptime_check_config')).map(([id, r]) => {
    const period = Number(String(r.period ?? '60s').replace(/s$/, '')) || 60;
    // No selected_regions means every checker region (six at the time of writing).
    const regions = Array.isArray(r.selected_regions) && r.selected_regions.length ? r.selected_regions.length : 6;
    const resource = firstBlock(r.monitored_resource);
    const http = firstBlock(r.http_check);
    const service = resource?.labels?.service_name as string | undefined;
    const target = resource?.type === 'uptime_url' || service === env.services.api ? 'api' : 'worker';
    return { name: id, target, service, path: (http?.path as string) ?? '/', regions, executions: regions * (SECONDS_PER_MONTH / period) };
  });
}

function uptimeItem(env: EnvironmentConfig, stack: TfJson, prices: Prices): { item: CostItem; executions: number } {
  const checks = uptimeChecks(env, stack);
  const executions = checks.reduce((s, c) => s + c.executions, 0);
  const free = prices.uptime.freeExecutionsPerMonth.value;
  const cost = (Math.max(0, executions - free) / 1000) * prices.uptime.usdPerThousandExecutions.value;
  return {
    executions,
    item: {
      name: `uptime checks (${checks.length})`,
      group: 'uptime',
      monthlyUsd: round(cost),
      basis: `${checks.map((c) => `${c.name}: ${c.regions} locations × ${fmt(c.executions / c.regions, 0)} runs`).join('; ') || 'none'} = ${fmt(executions, 0)} executions vs ${fmt(free, 0)} free, then $${prices.uptime.usdPerThousandExecutions.value}/1,000`,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Alerting

interface Query {
  policy: string;
  key: string;
  label: string;
  series: number;
}

const USER_LOG_METRIC = 'logging.googleapis.com/user/';

/** A condition's query in words, read from the filter's tree (gcp/filter). */
function describeQuery(filter: string, aggregations?: unknown): string {
  const window = firstBlock(aggregations)?.alignment_period;
  let parsed: ParsedFilter;
  try {
    parsed = parseMonitoringFilter(filter);
  } catch {
    return `an unparsable filter${window ? ` over ${window}` : ''}`;
  }
  if (parsed.op === 'slo') return `SLO ${parsed.name.split('/').pop()} burn rate over ${parsed.lookback ?? 'its window'}`;
  const metric = metricTypesOf(parsed)[0] ?? 'a metric';
  const scope = labelEqualities(parsed, 'resource.label').find((l) => l.cmp === '=' && SCOPE_LABELS.includes(l.key));
  const where = labelEqualities(parsed, 'metric.label').map((l) => `${l.key}${l.cmp}${l.value}`);
  return `${metric}${scope ? ` of ${scope.value}` : ''}${where.length ? ` where ${where.join(', ')}` : ''}${window ? ` over ${window}` : ''}`;
}

/** Resource labels that name what a query is about (a service, a host, a database, a subscription). */
const SCOPE_LABELS = ['service_name', 'host', 'database_id', 'subscription_id'];

/** The one metric type a time-series filter names; undefined for an SLO selector or an unparsable filter. */
function metricTypeOfFilter(filter: string): string | undefined {
  try {
    const parsed = parseMonitoringFilter(filter);
    return parsed.op === 'slo' ? undefined : metricTypesOf(parsed)[0];
  } catch {
    return undefined;
  }
}

/** Time series a condition's query returns per evaluation. */
function seriesReturned(filter: string, aggregations: unknown, t: Traffic, env: EnvironmentConfig): number {
  const agg = firstBlock(aggregations) ?? {};
  const groupBy: string[] = Array.isArray(agg.group_by_fields) ? agg.group_by_fields : [];
  const metricType = metricTypeOfFilter(filter);
  // An uptime check's metrics come as one series per checker location.
  if (!agg.cross_series_reducer) return metricType?.startsWith('monitoring.googleapis.com/uptime_check/') ? 6 : 1;
  const metricLabels = groupBy.filter((g) => g.startsWith('metric.label'));
  if (!metricLabels.length) return 1;
  const metricName = metricType?.startsWith(USER_LOG_METRIC) ? metricType.slice(USER_LOG_METRIC.length) : undefined;
  const model = metricName ? SERIES_MODELS[metricName] : undefined;
  if (!model) return 1;
  const windowMinutes = Number(String(agg.alignment_period ?? '60s').replace(/s$/, '')) / 60 || 1;
  // Distinct label values in one alignment window at the month's average rate.
  const avgPerMinute = perMonth(t, (h) => model.perMinute(h, t, env)) / MINUTES_PER_MONTH;
  const inWindow = avgPerMinute * windowMinutes;
  if (model.unbounded) return Math.max(1, inWindow);
  return Math.max(
    1,
    (model.weights ?? [1]).reduce((s, w) => s + (1 - Math.exp(-inWindow * w)), 0),
  );
}

function alertingItems(env: EnvironmentConfig, t: Traffic, stack: TfJson, prices: Prices): { items: CostItem[]; summary: CostDetails['alerting'] } {
  const model = prices.alerting.models['per-metric-reference'];
  const perRef = model.usdPerMetricReferenceMonth.value;
  const perPoint = model.usdPerMillionPointsReturned.value / 1e6;
  const evaluations = model.evaluationsPerMonth.value;
  const old = prices.alerting.models['per-condition'];
  const items: CostItem[] = [];
  const queries: Query[] = [];
  let refsTotal = 0;
  let pointsTotal = 0;
  let conditionsTotal = 0;
  let seriesTotal = 0;
  for (const [id, policy] of Object.entries(resourcesOf(stack, 'google_monitoring_alert_policy'))) {
    if (policy.enabled === false) {
      items.push({ name: `alert: ${policy.display_name ?? id}`, group: 'alerting', monthlyUsd: 0, basis: 'disabled: not evaluated, not charged' });
      continue;
    }
    const conditions: Record<string, any>[] = Array.isArray(policy.conditions) ? policy.conditions : [];
    let refs = 0;
    let series = 0;
    for (const c of conditions) {
      const th = c.condition_threshold ?? c.condition_absent;
      if (th) {
        const parts: Array<[string, unknown]> = [[th.filter, th.aggregations]];
        if (th.denominator_filter) parts.push([th.denominator_filter, th.denominator_aggregations]);
        for (const [filter, aggregations] of parts) {
          const s = seriesReturned(String(filter), aggregations, t, env);
          refs += 1;
          series += s;
          queries.push({ policy: id, key: JSON.stringify([filter, aggregations]), label: describeQuery(String(filter), aggregations), series: s });
        }
      } else if (c.condition_prometheus_query_language || c.condition_monitoring_query_language) {
        refs += 1;
        series += 1;
      }
      // condition_matched_log: log-match policies return no points and reference no metric (gcp-facts §9.4).
    }
    const points = series * evaluations;
    const cost = refs * perRef + points * perPoint;
    refsTotal += refs;
    pointsTotal += points;
    conditionsTotal += conditions.length;
    seriesTotal += series;
    items.push({
      name: `alert: ${policy.display_name ?? id}`,
      group: 'alerting',
      monthlyUsd: round(cost),
      basis: `${conditions.length} condition(s), ${refs} metric reference(s) × $${perRef} + ${fmt(series, 1)} series × ${fmt(evaluations, 0)} evaluations = ${fmt(points / 1e6, 2)} M points × $${model.usdPerMillionPointsReturned.value}/M`,
    });
  }
  // Duplicate queries: the same filter and aggregation read by more than one condition.
  const byKey = new Map<string, Query[]>();
  for (const q of queries) byKey.set(q.key, [...(byKey.get(q.key) ?? []), q]);
  const dups = [...byKey.values()].filter((g) => g.length > 1);
  const duplicateRefs = dups.reduce((s, g) => s + g.length - 1, 0);
  const saving = dups.reduce((s, g) => s + (g.length - 1) * (perRef + g[0].series * evaluations * perPoint), 0);
  const perConditionModelUsd = conditionsTotal * old.usdPerConditionMonth.value + (seriesTotal * evaluations * old.usdPerMillionTimeSeriesReturned.value) / 1e6;
  items.push({
    name: 'alerting: consolidating conditions would save (not charged)',
    group: 'alerting',
    monthlyUsd: 0,
    basis: dups.length
      ? `${usd(saving)}/month: ${duplicateRefs} of ${refsTotal} metric references read a query another condition already reads (${dups
          .map((g) => `${g[0].label} ×${g.length} in ${[...new Set(g.map((q) => q.policy))].join(', ')}`)
          .join('; ')}); e.g. one PromQL condition per share alert computing share and low-traffic guard together`
      : `$0.00/month: no two conditions read the same query (${refsTotal} metric references)`,
  });
  return {
    items,
    summary: {
      model: prices.alerting.modelInForce,
      metricReferences: refsTotal,
      pointsPerMonth: pointsTotal,
      consolidationSavingUsd: round(saving),
      perConditionModelUsd: round(perConditionModelUsd),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

export function estimateCost(args: { env: EnvironmentConfig; stack: TfJson; prices: Prices; multiplier?: number }): CostDetails {
  const multiplier = args.multiplier ?? 1;
  const t = scaleTraffic(args.env.traffic, multiplier);
  const logging = loggingItems(args.env, t, args.stack, args.prices);
  const metrics = metricItems(args.env, t, args.stack, args.prices);
  const uptime = uptimeItem(args.env, args.stack, args.prices);
  const alerting = alertingItems(args.env, t, args.stack, args.prices);
  const items = [...logging.items, ...metrics.items, uptime.item, ...alerting.items];
  const sum = (list: CostItem[]) =>
    round(
      list.reduce((s, i) => s + i.monthlyUsd, 0),
      2,
    );
  const report: CostReport = {
    env: args.env.name,
    monthlyUsd: sum(items),
    planScopeUsd: sum(items.filter((i) => i.group !== 'alerting')),
    items,
  };
  return {
    report,
    logs: logging.logs,
    metricsMiB: metrics.mib,
    uptimeExecutions: uptime.executions,
    alerting: alerting.summary,
    averageRps: averageRps(t),
    multiplier,
    notes: [
      `Alerting priced under the ${args.prices.alerting.modelInForce} model (prices as of ${args.prices.asOf}): ${args.prices.alerting.decision}`,
      `Under the superseded per-condition model the same policies would cost ${usd(alerting.summary.perConditionModelUsd)}/month.`,
      'planScopeUsd is everything but alerting (logs, metrics, uptime checks).',
    ],
  };
}
