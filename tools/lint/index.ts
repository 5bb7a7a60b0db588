/**
 * Platform-limit lint on top of the schema validator. Every rule cites the gcp-facts.md section it enforces.
 *
 *   lintApiResource(kind, obj, ctx)        schema findings + lint findings for one API-format object
 *   lintSynth(cdkTfJson, { knownMetrics }) conversion + schema + lint for every supported resource of a synth
 */
import type { Type } from 'protobufjs';
import { fieldIndex, fullName, isType, messageTypeFor, resolvedType } from '../schema/descriptors';
import { rebasePath, synthResources } from '../schema/index';
import { childPath, indexPath, isInterpolation, isPlainObject, type ApiKind, type Finding, type Severity } from '../schema/types';
import { normalizeToJsonNames, parseDurationSeconds, validateApiResource } from '../schema/validate';
import { applyStep, ALIGNERS, REDUCERS } from './aggregation';
import { hasResourceType, metricTypeSelectors } from './filters';
import { unknownLabels } from './labels';
import { DEFAULT_KNOWN_METRICS, knownMetricsFromSynth, type KnownMetrics, type MetricShape } from './known-metrics';

export { DEFAULT_KNOWN_METRICS, BUILTIN_METRICS, VIVIDLY_CUSTOM_METRICS, knownMetricsFromSynth } from './known-metrics';
export type { KnownMetrics, MetricShape, MetricKind, ValueType } from './known-metrics';
export type { Finding, Severity, ApiKind } from '../schema/types';

export interface LintContext {
  /** Metric kinds for the aligner/reducer rules (default: DEFAULT_KNOWN_METRICS). */
  knownMetrics?: KnownMetrics;
  /** The object comes from Terraform (synth): dashboard perpetual-diff rules become errors, `${...}` is accepted. */
  terraform?: boolean;
  /** Include schema findings (default true). */
  schema?: boolean;
}

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | undefined => (isPlainObject(v) ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const codePoints = (s: string): number => [...s].length;

class Out {
  readonly findings: Finding[] = [];
  error(path: string, rule: string, message: string): void {
    this.findings.push({ severity: 'error', path, rule, message });
  }
  warn(path: string, rule: string, message: string): void {
    this.findings.push({ severity: 'warning', path, rule, message });
  }
  add(severity: Severity, path: string, rule: string, message: string): void {
    this.findings.push({ severity, path, rule, message });
  }
}

export function lintApiResource(kind: ApiKind, apiObj: unknown, ctx: LintContext = {}): Finding[] {
  const out = new Out();
  if (ctx.schema ?? true) out.findings.push(...validateApiResource(kind, apiObj, { allowInterpolation: ctx.terraform ?? false }));
  const o = obj(normalizeToJsonNames(kind, apiObj));
  if (!o) return out.findings;
  const known = ctx.knownMetrics ?? DEFAULT_KNOWN_METRICS;
  switch (kind) {
    case 'AlertPolicy':
      lintAlertPolicy(o, out, known);
      break;
    case 'UptimeCheckConfig':
      lintUptime(o, out);
      break;
    case 'NotificationChannel':
      lintChannel(o, out);
      break;
    case 'LogMetric':
      lintLogMetric(o, out);
      break;
    case 'MetricDescriptor':
      lintMetricDescriptor(o, out);
      break;
    case 'Dashboard':
      lintDashboard(o, out, known, ctx.terraform ?? false);
      break;
  }
  return out.findings;
}

export function lintSynth(cdkTfJson: unknown, options: { knownMetrics?: KnownMetrics; sourceName?: string } = {}): Finding[] {
  const source = options.sourceName;
  const { resources, findings } = synthResources(cdkTfJson, source);
  // Order: built-in default < caller's catalog < what this synth itself declares.
  const knownMetrics: KnownMetrics = { ...DEFAULT_KNOWN_METRICS, ...(options.knownMetrics ?? {}), ...knownMetricsFromSynth(cdkTfJson) };
  const logMetricNames = new Map<string, string>();
  for (const r of resources) if (r.kind === 'LogMetric' && typeof r.tfBody.name === 'string') logMetricNames.set(r.name, r.tfBody.name);
  for (const r of resources) {
    findings.push(...r.conversionFindings);
    if (r.kind === 'Dashboard' && r.conversionFindings.some((f) => f.rule.startsWith('tf/dashboard-json'))) continue;
    const api = resolveLogMetricRefs(r.api, logMetricNames);
    for (const f of lintApiResource(r.kind, api, { knownMetrics, terraform: true })) {
      findings.push({ ...f, path: rebasePath(r.apiRootPath, f.path), resource: r.address, source });
    }
    if (r.kind === 'NotificationChannel') {
      for (const f of lintChannelSecrets(r.tfBody)) findings.push({ ...f, path: rebasePath(r.tfPath, f.path), resource: r.address, source });
    }
  }
  findings.push(...lintProjectQuotas(cdkTfJson, source));
  return findings;
}

/** `${google_logging_metric.X.name}` inside filters → the literal metric name, so the metric kind can be looked up. */
function resolveLogMetricRefs(api: object, names: Map<string, string>): object {
  if (names.size === 0) return api;
  const json = JSON.stringify(api).replace(/\$\{google_logging_metric\.([A-Za-z0-9_-]+)\.name\}/g, (m, n: string) => names.get(n) ?? m);
  return JSON.parse(json) as object;
}

// ---------------------------------------------------------------------------------------------------------------------
// Quotas: how many of a resource one project (per-project rules, counted over a whole synth) or one parent resource
// may hold. A synth is one stack in one project; anything else in the project (the app's own Terraform, hand-made
// resources) counts against the same quota, so these rules are a floor, not a guarantee.
//
// Severity follows the source: a limit read on Google's current quotas pages is an error (the API refuses the
// resource); a limit known only from the 2019 archived quotas page (current value UNCONFIRMED, gcp-facts §1.10,
// §4.3, §5.5) is a warning.

interface ProjectQuota {
  rule: string;
  /** Terraform resource type counted in the synth. */
  tfType: string;
  what: string;
  max: number;
  severity: Severity;
  source: string;
}

export const PROJECT_QUOTAS: readonly ProjectQuota[] = [
  { rule: 'quota/alert-policies-per-project', tfType: 'google_monitoring_alert_policy', what: 'alert policies', max: 500, severity: 'warning', source: 'gcp-facts §1.10: 500 per Workspace on the 2019 quotas page; current value UNCONFIRMED (https://cloud.google.com/monitoring/quotas#alerting_uptime_limits)' },
  { rule: 'quota/uptime-checks-per-project', tfType: 'google_monitoring_uptime_check_config', what: 'uptime checks', max: 100, severity: 'warning', source: 'gcp-facts §1.10, §4.3: 100 per Workspace on the 2019 quotas page; current value UNCONFIRMED' },
  { rule: 'quota/notification-channels-per-project', tfType: 'google_monitoring_notification_channel', what: 'notification channels', max: 4000, severity: 'warning', source: 'gcp-facts §1.10: 4000 per Workspace on the 2019 quotas page; current value UNCONFIRMED' },
  { rule: 'quota/metric-descriptors-per-project', tfType: 'google_monitoring_metric_descriptor', what: 'custom metric descriptors', max: 10_000, severity: 'error', source: 'Cloud Monitoring "Quotas and limits", user-defined metrics: 10,000 custom metric descriptors per project (https://cloud.google.com/monitoring/quotas)' },
  { rule: 'quota/log-metrics-per-project', tfType: 'google_logging_metric', what: 'user-defined log-based metrics', max: 500, severity: 'warning', source: 'Cloud Logging "Quotas and limits": 500 user-defined log-based metrics per project (https://cloud.google.com/logging/quotas; not yet in gcp-facts, UNCONFIRMED here)' },
  { rule: 'quota/log-sinks-per-project', tfType: 'google_logging_project_sink', what: 'log sinks', max: 200, severity: 'error', source: 'gcp-facts §3.7: 200 sinks per project (https://cloud.google.com/logging/quotas)' },
  { rule: 'quota/log-buckets-per-project', tfType: 'google_logging_project_bucket_config', what: 'log buckets', max: 100, severity: 'error', source: 'gcp-facts §3.7: 100 log buckets per project (https://cloud.google.com/logging/quotas)' },
  // Project-level exclusions are exclusion filters of the _Default sink.
  { rule: 'quota/exclusions-per-sink', tfType: 'google_logging_project_exclusion', what: 'project log exclusions (exclusion filters of the _Default sink)', max: 50, severity: 'error', source: 'gcp-facts §3.7: 50 exclusion filters per sink (https://cloud.google.com/logging/quotas)' },
];

/** Per-policy and per-dashboard quotas (checked on each resource, API format or synth). */
export const CHANNELS_PER_POLICY = { max: 16, source: 'gcp-facts §1.3, §1.10: 16 per policy on the 2019 quotas page; current value UNCONFIRMED' };
export const WIDGETS_PER_DASHBOARD = { max: 25, source: 'gcp-facts §5.5: "Charts on a dashboard: 25" on the 2019 quotas page; current value UNCONFIRMED' };

/** Counts each quota'd Terraform resource type of a synth against its per-project quota. */
export function lintProjectQuotas(cdkTfJson: unknown, source?: string): Finding[] {
  const resources = obj(obj(cdkTfJson)?.resource) ?? {};
  const findings: Finding[] = [];
  for (const q of PROJECT_QUOTAS) {
    const n = Object.keys(obj(resources[q.tfType]) ?? {}).length;
    if (n > q.max) {
      findings.push({
        severity: q.severity,
        path: `$.resource.${q.tfType}`,
        rule: q.rule,
        message: `${n} ${q.what} in this stack alone; a project holds at most ${q.max.toLocaleString('en-US')} (${q.source})`,
        source,
      });
    }
  }
  return findings;
}

/** Widgets of a dashboard, whatever its layout (nested collapsible groups count their own widgets too). */
function countWidgets(d: Obj): number {
  let n = 0;
  walk(d, '$', (v, path, key) => {
    if (key === 'widget' || /\.widgets\[\d+\]$/.test(path)) if (obj(v)) n++;
  });
  return n;
}

// ---------------------------------------------------------------------------------------------------------------------
// Shared: labels, filters, aggregations

/** gcp-facts §1.3 `user_labels` (same for uptime checks and channels, §4.1, §6.1). */
function lintUserLabels(labels: unknown, path: string, out: Out): void {
  const l = obj(labels);
  if (!l) return;
  const entries = Object.entries(l);
  if (entries.length > 64) out.error(path, 'labels/user-labels', `${entries.length} user labels; at most 64 (gcp-facts §1.3)`);
  for (const [k, v] of entries) {
    const p = childPath(path, k);
    if (!/^[a-z][a-z0-9_-]*$/.test(k)) out.error(p, 'labels/user-labels', `label key "${k}" must match [a-z][a-z0-9_-]* (gcp-facts §1.3)`);
    if (codePoints(k) > 63 || utf8Bytes(k) > 128) out.error(p, 'labels/user-labels', 'label key longer than 63 characters / 128 bytes (gcp-facts §1.3)');
    if (typeof v !== 'string') continue;
    if (isInterpolation(v)) continue;
    if (!/^[a-z0-9_-]*$/.test(v)) out.error(p, 'labels/user-labels', `label value "${v}" may contain only [a-z0-9_-] (gcp-facts §1.3)`);
    if (codePoints(v) > 63 || utf8Bytes(v) > 128) out.error(p, 'labels/user-labels', 'label value longer than 63 characters / 128 bytes (gcp-facts §1.3)');
  }
}

/**
 * SLO data is read with a time-series selector instead of a metric type: `select_slo_burn_rate("projects/…/
 * serviceLevelObjectives/…", "3600s")` ("Retrieving SLO data",
 * https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/timeseries-selectors). Alerting policies
 * may use only some selectors; the burn rate is the one Google's console uses.
 */
const SLO_SELECTOR = /^\s*(select_slo_[a-z_]+)\(\s*"([^"]+)"\s*(?:,\s*"([^"]+)"\s*)?\)\s*$/;
const SLO_SELECTORS_WITH_LOOKBACK = new Set(['select_slo_burn_rate']);
const SLO_SELECTORS = new Set(['select_slo_burn_rate', 'select_slo_health', 'select_slo_budget', 'select_slo_budget_fraction', 'select_slo_budget_total', 'select_slo_counts', 'select_slo_good', 'select_slo_bad']);

export function isSloSelector(filter: string): boolean {
  return /^\s*select_slo_/.test(filter);
}

function lintSloSelector(f: string, path: string, out: Out): void {
  const m = SLO_SELECTOR.exec(f);
  if (!m) {
    out.error(path, 'filter/slo-selector', 'an SLO selector is select_slo_NAME("projects/P/services/S/serviceLevelObjectives/O"[, "LOOKBACK"])');
    return;
  }
  const [, name, slo, lookback] = m;
  if (!SLO_SELECTORS.has(name)) out.error(path, 'filter/slo-selector', `unknown SLO selector ${name}`);
  if (!isInterpolation(slo) && !/^projects\/[^/]+\/services\/[^/]+\/serviceLevelObjectives\/[^/]+$/.test(slo)) {
    out.error(path, 'filter/slo-selector', `"${slo}" is not an SLO resource name (projects/P/services/S/serviceLevelObjectives/O)`);
  }
  if (SLO_SELECTORS_WITH_LOOKBACK.has(name)) {
    if (lookback === undefined) out.error(path, 'filter/slo-selector', `${name} needs a lookback period`);
    else if (!/^[0-9]+(ns|us|ms|s|m|h)$/.test(lookback)) out.error(path, 'filter/slo-selector', `lookback "${lookback}" must be a number with a unit ns, us, ms, s, m or h`);
  }
}

/** gcp-facts §1.4 (≤ 2048 chars), §2.1 (exactly one metric type; alert filters name resource.type). */
function lintMonitoringFilter(filter: unknown, path: string, out: Out, opts: { requireResourceType: boolean }): string | undefined {
  const f = str(filter);
  if (f === undefined) return undefined;
  if (codePoints(f) > 2048) out.error(path, 'filter/length', `filter is ${codePoints(f)} characters; at most 2,048 (gcp-facts §1.4)`);
  if (isSloSelector(f)) {
    lintSloSelector(f, path, out);
    return undefined;
  }
  const selectors = metricTypeSelectors(f);
  if (selectors.length !== 1) {
    out.error(path, 'filter/one-metric-type', `a time-series filter must name exactly one metric.type, found ${selectors.length} (gcp-facts §2.1)`);
  } else if (selectors[0].literal === undefined) {
    out.error(path, 'filter/one-metric-type', 'metric.type must be compared with = to one literal metric type (gcp-facts §2.1)');
  }
  if (opts.requireResourceType && !hasResourceType(f)) out.error(path, 'filter/resource-type', 'alert condition filters must specify resource.type (gcp-facts §1.4, §2.1)');
  return selectors.length === 1 ? selectors[0].literal : undefined;
}

/** Label keys the metric or resource type does not have: such a filter silently matches nothing. */
function lintLabelKeys(filter: unknown, aggregations: unknown[], metric: string | undefined, known: KnownMetrics, path: string, out: Out): void {
  const f = str(filter);
  if (f === undefined || isSloSelector(f)) return;
  const groupBy = aggregations.flatMap((a) => arr(obj(a)?.groupByFields)).filter((g): g is string => typeof g === 'string');
  const labels = Object.fromEntries(Object.entries(known).filter(([, shape]) => shape.labels).map(([type, shape]) => [type, shape.labels!]));
  for (const p of unknownLabels(f, groupBy, metric, labels)) {
    const owner = p.kind === 'metric' ? metric : 'its resource type';
    out.error(p.where === 'filter' ? path : path.replace(/\.filter$/, ''), 'filter/unknown-label', `${p.kind}.label.${p.key} (in ${p.where}) is not a label of ${owner}: one of ${p.allowed.join(', ')}`);
  }
}

const ALERT_MAX_ALIGNMENT = 90_000; // gcp-facts §1.5: 25 h for alerting policies
const CHART_MAX_ALIGNMENT = 104 * 7 * 86_400; // gcp-facts §1.5: 104 weeks for charts

/**
 * gcp-facts §1.5: alignment period (required unless ALIGN_NONE, ≥ 60 s, ≤ 90,000 s alerts / 104 weeks charts),
 * reducer requires an aligner, aligner valid for the metric kind/value type, reducer valid for the aligned output.
 * Returns the output shape (undefined when unknown).
 */
function lintAggregation(agg: unknown, path: string, out: Out, input: MetricShape | undefined, metric: string | undefined, maxPeriod: number): MetricShape | undefined {
  const a = obj(agg);
  if (!a) return input;
  const aligner = str(a.perSeriesAligner);
  const reducer = str(a.crossSeriesReducer);
  const periodRaw = a.alignmentPeriod;
  const period = parseDurationSeconds(periodRaw);
  const aligning = aligner !== undefined && aligner !== 'ALIGN_NONE';
  if (aligning && periodRaw === undefined) out.error(childPath(path, 'alignmentPeriod'), 'aggregation/alignment-period', `alignmentPeriod is required with ${aligner} (gcp-facts §1.5)`);
  if (period !== null) {
    if (period < 60) out.error(childPath(path, 'alignmentPeriod'), 'aggregation/alignment-period', `alignmentPeriod ${String(periodRaw)} is below 60 s (gcp-facts §1.5)`);
    if (period > maxPeriod) {
      out.error(childPath(path, 'alignmentPeriod'), 'aggregation/alignment-period', `alignmentPeriod ${String(periodRaw)} exceeds ${maxPeriod === ALERT_MAX_ALIGNMENT ? '90,000 s (25 h) for alerting policies' : '104 weeks for charts'} (gcp-facts §1.5)`);
    }
  }
  if (reducer !== undefined && reducer !== 'REDUCE_NONE' && !aligning) {
    out.error(childPath(path, 'crossSeriesReducer'), 'aggregation/reducer-needs-aligner', `${reducer} requires a perSeriesAligner other than ALIGN_NONE and an alignmentPeriod (gcp-facts §1.5)`);
  }
  if (reducer === 'REDUCE_NONE') out.warn(childPath(path, 'crossSeriesReducer'), 'aggregation/reduce-none', 'omit REDUCE_NONE: the API does not return it (gcp-facts §1.5 TF perpetual diff)');
  if (!input) return undefined;
  let shape: MetricShape | undefined = input;
  const name = metric ? ` ${metric}` : '';
  if (aligner !== undefined) {
    const r = applyStep(ALIGNERS, aligner, shape);
    if (r.ok === false) {
      out.error(childPath(path, 'perSeriesAligner'), 'aggregation/aligner-kind', `${r.reason}${name ? ` (${name.trim()})` : ''} (gcp-facts §1.5)`);
      return undefined;
    }
    shape = r.ok === true ? r.out : undefined;
  }
  if (shape && reducer !== undefined && reducer !== 'REDUCE_NONE') {
    const r = applyStep(REDUCERS, reducer, shape);
    if (r.ok === false) {
      out.error(childPath(path, 'crossSeriesReducer'), 'aggregation/reducer-kind', `${r.reason} after ${aligner ?? 'no aligner'}${name ? ` (${name.trim()})` : ''} (gcp-facts §1.5)`);
      return undefined;
    }
    if (reducer.startsWith('REDUCE_PERCENTILE_') && shape.valueType !== 'DISTRIBUTION') {
      out.warn(
        childPath(path, 'crossSeriesReducer'),
        'aggregation/percentile-of-non-distribution',
        `${reducer} after ${aligner ?? 'no aligner'} on${name} (${input.metricKind} ${input.valueType}) is the percentile of one value per series across series, not a latency percentile; percentiles need a DISTRIBUTION metric (ALIGN_PERCENTILE_* or ALIGN_DELTA + REDUCE_PERCENTILE_*) (gcp-facts §1.5)`,
      );
    }
    shape = r.ok === true ? r.out : undefined;
  }
  return shape;
}

function lintAggregationChain(aggs: unknown[], path: string, out: Out, metric: string | undefined, known: KnownMetrics, maxPeriod: number): void {
  let shape: MetricShape | undefined = metric ? known[metric] : undefined;
  aggs.forEach((a, i) => {
    shape = lintAggregation(a, indexPath(path, i), out, shape, metric, maxPeriod);
  });
}

/**
 * The labels an aggregation chain leaves: those of its last cross-series reducer's groupByFields (normalized to
 * `metric.label.K` / `resource.label.K`), or null without any reducer (the series keep all their labels).
 */
function chainLabels(aggs: unknown[]): string[] | null {
  let labels: string[] | null = null;
  for (const a of aggs) {
    const o = obj(a);
    const reducer = str(o?.crossSeriesReducer);
    if (reducer === undefined || reducer === 'REDUCE_NONE') continue;
    const fields = arr(o?.groupByFields).filter((g): g is string => typeof g === 'string').map((g) => g.replace(/^(metric|resource)\.labels\./, '$1.label.'));
    labels = [...new Set(fields)].sort();
  }
  return labels;
}

/**
 * §1.4: numerator and denominator "must use the same alignment period and produce time series that have the same
 * periodicity and labels": both chains must end with the same group-by set (and both reduce, or neither). Otherwise
 * the ratio joins on nothing and the condition silently never fires.
 */
function lintRatioLabels(num: unknown[], den: unknown[], path: string, out: Out): void {
  const nl = chainLabels(num);
  const dl = chainLabels(den);
  const show = (l: string[] | null) => (l === null ? 'no cross-series reducer' : `groupByFields ${JSON.stringify(l)}`);
  if ((nl === null) !== (dl === null) || (nl && dl && (nl.length !== dl.length || nl.some((v, i) => v !== dl[i])))) {
    out.error(path, 'alert/ratio-labels', `numerator and denominator must produce time series with the same labels: numerator has ${show(nl)}, denominator has ${show(dl)} (gcp-facts §1.4)`);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Alert policies (gcp-facts §1)

const CONDITION_KEYS = ['conditionThreshold', 'conditionAbsent', 'conditionMatchedLog', 'conditionMonitoringQueryLanguage', 'conditionPrometheusQueryLanguage', 'conditionSql'];

function lintAlertPolicy(p: Obj, out: Out, known: KnownMetrics): void {
  // §1.3 display_name required, ≤ 512 characters
  const dn = str(p.displayName);
  if (!dn) out.error('$.displayName', 'alert/display-name', 'displayName is required (gcp-facts §1.3)');
  else if (codePoints(dn) > 512) out.error('$.displayName', 'alert/display-name', 'displayName longer than 512 characters (gcp-facts §1.3)');
  // §1.3 combiner required in TF
  if (p.combiner === undefined) out.error('$.combiner', 'alert/combiner', 'combiner is required (gcp-facts §1.3)');
  // §1.3 / §1.10: 1..6 conditions
  const conditions = arr(p.conditions);
  if (conditions.length < 1 || conditions.length > 6) out.error('$.conditions', 'alert/conditions-count', `a policy has 1 to 6 conditions, found ${conditions.length} (gcp-facts §1.3, §1.10)`);
  const channelCount = arr(p.notificationChannels).length;
  if (channelCount > CHANNELS_PER_POLICY.max) out.warn('$.notificationChannels', 'quota/channels-per-policy', `${channelCount} notification channels; a policy holds at most ${CHANNELS_PER_POLICY.max} (${CHANNELS_PER_POLICY.source})`);

  const kinds = conditions.map((c) => CONDITION_KEYS.find((k) => obj(c)?.[k] !== undefined));
  const hasLogMatch = kinds.includes('conditionMatchedLog');
  // §1.7: a log-match condition must be the only condition
  if (hasLogMatch && conditions.length > 1) out.error('$.conditions', 'alert/log-match-alone', 'a policy with a conditionMatchedLog can only have a single condition (gcp-facts §1.7)');
  // §1.1: MQL must be the only condition; §1.2: deprecated
  if (kinds.includes('conditionMonitoringQueryLanguage') && conditions.length > 1) out.error('$.conditions', 'alert/mql-alone', 'an MQL condition must be the only condition (gcp-facts §1.1)');

  const strategy = obj(p.alertStrategy);
  const rateLimit = obj(strategy?.notificationRateLimit);
  if (hasLogMatch && !rateLimit) {
    // §1.7 / §1.9: notification_rate_limit required for LogMatch policies
    out.error('$.alertStrategy.notificationRateLimit', 'alert/log-match-rate-limit', 'alertStrategy.notificationRateLimit is required for a policy with a conditionMatchedLog (gcp-facts §1.7, §1.9)');
  }
  if (rateLimit) {
    const period = parseDurationSeconds(rateLimit.period);
    if (!hasLogMatch) out.warn('$.alertStrategy.notificationRateLimit', 'alert/log-match-rate-limit', 'notificationRateLimit is only implemented for log-match policies (gcp-facts §1.9)');
    else if (period !== null && period < 300) out.warn('$.alertStrategy.notificationRateLimit.period', 'alert/log-match-rate-limit', 'log-based policies notify at most once every 5 minutes; use period >= "300s" (gcp-facts §1.7, UNCONFIRMED as an API minimum)');
  }
  // §1.9 notification prompts
  arr(strategy?.notificationPrompts).forEach((np, i) => {
    const path = indexPath('$.alertStrategy.notificationPrompts', i);
    if (np === 'NOTIFICATION_PROMPT_UNSPECIFIED') out.error(path, 'alert/notification-prompts', 'NOTIFICATION_PROMPT_UNSPECIFIED is treated as an error (gcp-facts §1.9)');
    if (hasLogMatch && np === 'CLOSED') out.error(path, 'alert/notification-prompts', 'log-based policies only support [OPENED] (gcp-facts §1.7)');
  });
  // §1.9 notification_channel_strategy names must be policy channels
  const channels = new Set(arr(p.notificationChannels).filter((c): c is string => typeof c === 'string'));
  arr(strategy?.notificationChannelStrategy).forEach((s, i) => {
    arr(obj(s)?.notificationChannelNames).forEach((n, j) => {
      if (typeof n === 'string' && !channels.has(n)) {
        out.error(`${indexPath('$.alertStrategy.notificationChannelStrategy', i)}.notificationChannelNames[${j}]`, 'alert/channel-strategy', `"${n}" is not one of the policy's notificationChannels (gcp-facts §1.9)`);
      }
    });
  });
  // §1.3 documentation
  lintDocumentation(p.documentation, out);
  // §1.3 user labels
  lintUserLabels(p.userLabels, '$.userLabels', out);

  conditions.forEach((c, i) => lintCondition(obj(c) ?? {}, indexPath('$.conditions', i), out, known));
}

function lintDocumentation(doc: unknown, out: Out): void {
  const d = obj(doc);
  if (!d) return;
  const content = str(d.content);
  if (content !== undefined) {
    if (codePoints(content) > 8192) out.error('$.documentation.content', 'alert/documentation', `content is ${codePoints(content)} characters; at most 8,192 (gcp-facts §1.3)`);
    if (utf8Bytes(content) > 10240) out.error('$.documentation.content', 'alert/documentation', `content is ${utf8Bytes(content)} UTF-8 bytes; at most 10,240 (gcp-facts §1.3)`);
  }
  const subject = str(d.subject);
  if (subject !== undefined && utf8Bytes(subject) > 10240) out.error('$.documentation.subject', 'alert/documentation', 'subject longer than 10,240 bytes (gcp-facts §1.3)');
  if (d.mimeType !== undefined && d.mimeType !== 'text/markdown') out.error('$.documentation.mimeType', 'alert/documentation', 'mimeType must be "text/markdown" (gcp-facts §1.3)');
  const links = arr(d.links);
  if (links.length > 3) out.error('$.documentation.links', 'alert/documentation', `${links.length} links; at most 3 (gcp-facts §1.3)`);
  links.forEach((l, i) => {
    const lp = indexPath('$.documentation.links', i);
    const name = str(obj(l)?.displayName);
    if (!name) out.error(`${lp}.displayName`, 'alert/documentation', 'link displayName must not be empty (gcp-facts §1.3)');
    else if (codePoints(name) > 63) out.error(`${lp}.displayName`, 'alert/documentation', 'link displayName longer than 63 characters (gcp-facts §1.3)');
    const url = str(obj(l)?.url);
    if (url !== undefined && codePoints(url) > 2083) out.error(`${lp}.url`, 'alert/documentation', 'link url longer than 2,083 characters (gcp-facts §1.3)');
  });
}

function lintWholeMinutes(v: unknown, path: string, out: Out, min: number, section: string): number | null {
  const secs = parseDurationSeconds(v);
  if (secs === null) return null;
  if (secs % 60 !== 0) out.error(path, 'alert/duration-whole-minutes', `duration ${String(v)} must be a multiple of 60 s (gcp-facts ${section})`);
  if (secs < min) out.error(path, 'alert/duration-minimum', `duration ${String(v)} is below the minimum of ${min} s (gcp-facts ${section})`);
  return secs;
}

function lintCondition(c: Obj, path: string, out: Out, known: KnownMetrics): void {
  if (!c.displayName) out.error(`${path}.displayName`, 'alert/condition-display-name', 'conditions[].displayName is required in Terraform (gcp-facts §1.3)');
  if (c.name !== undefined) out.warn(`${path}.name`, 'alert/condition-name', 'do not send condition name on create; it is output-only (gcp-facts §1.3)');
  const present = CONDITION_KEYS.filter((k) => c[k] !== undefined);
  if (present.length === 0) out.error(path, 'alert/condition-type', 'a condition holds exactly one condition type (gcp-facts §1.1)');

  const th = obj(c.conditionThreshold);
  if (th) {
    const p = `${path}.conditionThreshold`;
    const metric = lintMonitoringFilter(th.filter, `${p}.filter`, out, { requireResourceType: true });
    // §1.4 comparison: only GT / LT
    if (th.comparison === undefined) out.error(`${p}.comparison`, 'alert/comparison', 'comparison is required (gcp-facts §1.4)');
    else if (th.comparison !== 'COMPARISON_GT' && th.comparison !== 'COMPARISON_LT' && !isInterpolation(th.comparison)) {
      out.error(`${p}.comparison`, 'alert/comparison', `${String(th.comparison)}: only COMPARISON_GT and COMPARISON_LT are supported by the API (gcp-facts §1.4)`);
    }
    // §1.4 duration required (TF), whole minutes
    let secs: number | null = null;
    if (th.duration === undefined) out.error(`${p}.duration`, 'alert/duration-required', 'duration is required in Terraform (gcp-facts §1.4)');
    else secs = lintWholeMinutes(th.duration, `${p}.duration`, out, 0, '§1.4');
    // §1.4 evaluation_missing_data requires duration >= 60 s
    if (th.evaluationMissingData !== undefined && (secs ?? 0) < 60 && th.duration !== undefined && secs !== null) {
      out.error(`${p}.evaluationMissingData`, 'alert/evaluation-missing-data', 'evaluationMissingData requires duration >= 60s (gcp-facts §1.4)');
    }
    // §1.1 forecast horizon 1 h .. 60 h
    const fh = parseDurationSeconds(obj(th.forecastOptions)?.forecastHorizon);
    if (fh !== null && (fh < 3600 || fh > 216000)) out.error(`${p}.forecastOptions.forecastHorizon`, 'alert/forecast-horizon', 'forecastHorizon must be 1 h to 60 h (gcp-facts §1.1)');
    const aggs = arr(th.aggregations);
    // An SLO condition uses only its filter: aggregations would be ignored, which hides a mistake.
    if (typeof th.filter === 'string' && isSloSelector(th.filter) && aggs.length) {
      out.error(`${p}.aggregations`, 'alert/slo-aggregations', 'an SLO selector condition uses only its filter; remove the aggregations');
    }
    lintAggregationChain(aggs, `${p}.aggregations`, out, metric, known, ALERT_MAX_ALIGNMENT);
    lintLabelKeys(th.filter, aggs, metric, known, `${p}.filter`, out);
    if (th.denominatorFilter !== undefined) {
      // §1.4 ratio: denominator names a metric type (resource type optional); same alignment periods
      const denMetric = lintMonitoringFilter(th.denominatorFilter, `${p}.denominatorFilter`, out, { requireResourceType: false });
      const den = arr(th.denominatorAggregations);
      lintLabelKeys(th.denominatorFilter, den, denMetric, known, `${p}.denominatorFilter`, out);
      lintAggregationChain(den, `${p}.denominatorAggregations`, out, denMetric, known, ALERT_MAX_ALIGNMENT);
      const periods = (xs: unknown[]) => xs.map((a) => parseDurationSeconds(obj(a)?.alignmentPeriod));
      const np = periods(aggs);
      const dp = periods(den);
      if (np.length !== dp.length || np.some((v, i) => v !== dp[i])) {
        out.error(`${p}.denominatorAggregations`, 'alert/ratio-alignment', `ratio conditions need the same alignment periods in aggregations and denominatorAggregations (${JSON.stringify(np)} vs ${JSON.stringify(dp)}) (gcp-facts §1.4)`);
      }
      lintRatioLabels(aggs, den, `${p}.denominatorAggregations`, out);
    } else if (th.denominatorAggregations !== undefined) {
      out.error(`${p}.denominatorAggregations`, 'alert/ratio-alignment', 'denominatorAggregations without denominatorFilter (gcp-facts §1.4)');
    }
  }

  const ab = obj(c.conditionAbsent);
  if (ab) {
    const p = `${path}.conditionAbsent`;
    const metric = lintMonitoringFilter(ab.filter, `${p}.filter`, out, { requireResourceType: true });
    // §1.6 duration required, ≥ 120 s, whole minutes
    if (ab.duration === undefined) out.error(`${p}.duration`, 'alert/duration-required', 'duration is required in Terraform (gcp-facts §1.6)');
    else lintWholeMinutes(ab.duration, `${p}.duration`, out, 120, '§1.6');
    lintAggregationChain(arr(ab.aggregations), `${p}.aggregations`, out, metric, known, ALERT_MAX_ALIGNMENT);
    lintLabelKeys(ab.filter, arr(ab.aggregations), metric, known, `${p}.filter`, out);
  }

  const mql = obj(c.conditionMonitoringQueryLanguage);
  if (mql) {
    const p = `${path}.conditionMonitoringQueryLanguage`;
    out.warn(p, 'alert/mql-deprecated', 'MQL is deprecated; use conditionThreshold or conditionPrometheusQueryLanguage (gcp-facts §1.2)');
    if (mql.duration !== undefined) lintWholeMinutes(mql.duration, `${p}.duration`, out, 0, '§1.4');
  }

  const prom = obj(c.conditionPrometheusQueryLanguage);
  if (prom) {
    const p = `${path}.conditionPrometheusQueryLanguage`;
    // §1.8
    if (!str(prom.query)) out.error(`${p}.query`, 'alert/promql', 'query is required and must not be empty (gcp-facts §1.8)');
    const ei = parseDurationSeconds(prom.evaluationInterval);
    if (ei !== null && (ei <= 0 || ei % 30 !== 0)) out.error(`${p}.evaluationInterval`, 'alert/promql', 'evaluationInterval must be a positive multiple of 30 s (gcp-facts §1.8)');
    for (const k of ['ruleGroup', 'alertRule']) {
      const s = str(prom[k]);
      if (s !== undefined && codePoints(s) > 2048) out.error(`${p}.${k}`, 'alert/promql', `${k} longer than 2,048 characters (gcp-facts §1.8)`);
    }
  }

  const log = obj(c.conditionMatchedLog);
  if (log && !str(log.filter)) out.error(`${path}.conditionMatchedLog.filter`, 'alert/log-match-filter', 'filter is required (gcp-facts §1.7)');
}

// ---------------------------------------------------------------------------------------------------------------------
// Uptime checks (gcp-facts §4)

/**
 * Locations per selected region, for the "minimum of 3 locations" rule (gcp-facts §4.1). UNCONFIRMED: the per-region
 * location count is not documented; USA is taken as its 3 locations (Oregon, Iowa, Virginia), every other region as 1.
 */
const REGION_LOCATIONS: Readonly<Record<string, readonly string[]>> = {
  USA: ['USA_OREGON', 'USA_IOWA', 'USA_VIRGINIA'],
  USA_OREGON: ['USA_OREGON'],
  USA_IOWA: ['USA_IOWA'],
  USA_VIRGINIA: ['USA_VIRGINIA'],
  EUROPE: ['EUROPE'],
  SOUTH_AMERICA: ['SOUTH_AMERICA'],
  ASIA_PACIFIC: ['ASIA_PACIFIC'],
};

const MONITORED_RESOURCE_TYPES = ['uptime_url', 'gce_instance', 'gae_app', 'aws_ec2_instance', 'aws_elb_load_balancer', 'k8s_service', 'servicedirectory_service', 'cloud_run_revision'];

function lintUptime(u: Obj, out: Out): void {
  if (!str(u.displayName)) out.error('$.displayName', 'uptime/display-name', 'displayName is required (gcp-facts §4.1)');
  // §4.1 period ∈ {60s, 300s, 600s, 900s}
  if (u.period !== undefined && !isInterpolation(u.period)) {
    const s = parseDurationSeconds(u.period);
    if (s !== null && ![60, 300, 600, 900].includes(s)) out.error('$.period', 'uptime/period', `period ${String(u.period)} must be one of 60s, 300s, 600s, 900s (gcp-facts §4.1)`);
  }
  // §4.1 timeout required (TF), 1..60 s
  if (u.timeout === undefined) out.error('$.timeout', 'uptime/timeout', 'timeout is required (gcp-facts §4.1)');
  else {
    const s = parseDurationSeconds(u.timeout);
    if (s !== null && (s < 1 || s > 60)) out.error('$.timeout', 'uptime/timeout', `timeout ${String(u.timeout)} must be 1 to 60 s (gcp-facts §4.1)`);
  }
  // §4.1 selected_regions: empty, or ≥ 3 locations
  const regions = arr(u.selectedRegions).filter((r): r is string => typeof r === 'string');
  if (regions.length > 0) {
    const locations = new Set(regions.flatMap((r) => REGION_LOCATIONS[r] ?? []));
    if (locations.size < 3) {
      out.error('$.selectedRegions', 'uptime/selected-regions', `selectedRegions cover ${locations.size} location(s); omit the field or select regions covering at least 3 locations (gcp-facts §4.1; USA counted as 3 locations, others as 1 — UNCONFIRMED)`);
    }
  }
  // §4.1 target: exactly one of monitoredResource / resourceGroup / syntheticMonitor (two is a schema oneof error)
  const targets = ['monitoredResource', 'resourceGroup', 'syntheticMonitor'].filter((k) => u[k] !== undefined);
  if (targets.length === 0) out.error('$', 'uptime/target', 'one of monitoredResource, resourceGroup, syntheticMonitor is required (gcp-facts §4.1)');
  const mr = obj(u.monitoredResource);
  if (mr) {
    const t = str(mr.type);
    if (t !== undefined && !MONITORED_RESOURCE_TYPES.includes(t)) out.error('$.monitoredResource.type', 'uptime/monitored-resource', `monitoredResource.type "${t}" must be one of ${MONITORED_RESOURCE_TYPES.join(', ')} (gcp-facts §4.1)`);
    const host = str(obj(mr.labels)?.host);
    if (t === 'uptime_url' && host !== undefined && !isInterpolation(host) && /[/:]/.test(host)) {
      out.error('$.monitoredResource.labels.host', 'uptime/monitored-resource', `host "${host}" must be a hostname without scheme, port or path (gcp-facts §4.1)`);
    }
  }
  // §4.1 checker type
  if (u.checkerType === 'VPC_CHECKERS' && str(mr?.type) !== 'servicedirectory_service') {
    out.error('$.checkerType', 'uptime/checker-type', 'VPC_CHECKERS requires a servicedirectory_service monitored resource (gcp-facts §4.1)');
  }
  // §4.1 exactly one of http_check / tcp_check
  if (u.httpCheck === undefined && u.tcpCheck === undefined && u.syntheticMonitor === undefined) {
    out.error('$', 'uptime/check-type', 'one of httpCheck or tcpCheck is required (gcp-facts §4.1)');
  }
  const http = obj(u.httpCheck);
  if (http) {
    const method = str(http.requestMethod) ?? 'GET';
    if (method === 'GET' || method === 'METHOD_UNSPECIFIED') {
      if (http.contentType !== undefined && http.contentType !== 'TYPE_UNSPECIFIED') out.error('$.httpCheck.contentType', 'uptime/http-method', 'GET checks must not set contentType (gcp-facts §4.1)');
      if (http.body !== undefined) out.error('$.httpCheck.body', 'uptime/http-method', 'body is only for POST checks (gcp-facts §4.1)');
    } else if (method === 'POST') {
      if (http.contentType === undefined || http.contentType === 'TYPE_UNSPECIFIED') out.error('$.httpCheck.contentType', 'uptime/http-method', 'POST checks must set contentType (gcp-facts §4.1)');
      const headers = obj(http.headers) ?? {};
      if (Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) out.error('$.httpCheck.headers', 'uptime/http-method', 'POST checks must not set a Content-Type header (gcp-facts §4.1)');
    }
    const headerCount = Object.keys(obj(http.headers) ?? {}).length;
    if (headerCount > 100) out.error('$.httpCheck.headers', 'uptime/headers', `${headerCount} headers; at most 100 (gcp-facts §4.1)`);
    const pc = obj(http.pingConfig)?.pingsCount;
    if (typeof pc === 'number' && pc > 3) out.error('$.httpCheck.pingConfig.pingsCount', 'uptime/pings-count', 'pingsCount must be <= 3 (gcp-facts §4.1)');
  }
  const tcp = obj(u.tcpCheck);
  if (tcp && tcp.port === undefined) out.error('$.tcpCheck.port', 'uptime/tcp-port', 'tcpCheck.port is required (gcp-facts §4.1)');
  // §4.1 content matchers
  const matchers = arr(u.contentMatchers);
  if (matchers.length > 1) out.warn('$.contentMatchers', 'uptime/content-matchers', 'only the first content matcher is used (gcp-facts §4.1)');
  matchers.forEach((m, i) => {
    const mp = indexPath('$.contentMatchers', i);
    const mo = obj(m) ?? {};
    const content = str(mo.content);
    if (content !== undefined && utf8Bytes(content) > 1024) out.error(`${mp}.content`, 'uptime/content-matchers', 'content longer than 1,024 bytes (gcp-facts §4.1)');
    if (/JSON_PATH/.test(String(mo.matcher)) && !obj(mo.jsonPathMatcher)) out.error(`${mp}.jsonPathMatcher`, 'uptime/content-matchers', `${String(mo.matcher)} needs jsonPathMatcher (gcp-facts §4.1)`);
  });
  lintUserLabels(u.userLabels, '$.userLabels', out);
}

// ---------------------------------------------------------------------------------------------------------------------
// Notification channels (gcp-facts §6)

const CHANNEL_LABELS: Readonly<Record<string, string[]>> = {
  email: ['email_address'],
  slack: ['channel_name'],
  pagerduty: ['service_key'],
  webhook_tokenauth: ['url'],
  webhook_basicauth: ['url', 'username', 'password'],
  pubsub: ['topic'],
  sms: ['number'],
};

function lintChannel(c: Obj, out: Out): void {
  const type = str(c.type);
  if (!type) out.error('$.type', 'channel/type', 'type is required (gcp-facts §6.1)');
  const dn = str(c.displayName);
  if (dn !== undefined && codePoints(dn) > 512) out.error('$.displayName', 'channel/display-name', 'displayName longer than 512 characters (gcp-facts §6.1)');
  const desc = str(c.description);
  if (desc !== undefined && codePoints(desc) > 1024) out.error('$.description', 'channel/description', 'description longer than 1,024 characters (gcp-facts §6.1)');
  const labels = obj(c.labels) ?? {};
  for (const need of (type && CHANNEL_LABELS[type]) || []) {
    if (labels[need] === undefined) out.warn(childPath('$.labels', need), 'channel/labels', `a "${type}" channel normally needs label "${need}" (gcp-facts §6.1)`);
  }
  if (type === 'webhook_tokenauth') out.warn('$.type', 'channel/webhook-token', 'webhook_tokenauth carries its token in the url label, visible in plan and state; prefer webhook_basicauth + sensitive_labels.password or pubsub (gcp-facts §6.3)');
  if (type === 'pubsub') {
    const topic = str(labels.topic);
    if (topic !== undefined && !isInterpolation(topic) && !/^projects\/[^/]+\/topics\/[^/]+$/.test(topic)) out.error('$.labels.topic', 'channel/labels', 'topic must be projects/P/topics/T (gcp-facts §6.1)');
  }
  lintUserLabels(c.userLabels, '$.userLabels', out);
}

/** gcp-facts §6.3: literal secrets in the synth (TF-level check, paths relative to the TF body). */
function lintChannelSecrets(tfBody: Obj): Finding[] {
  const out = new Out();
  const secretKeys = ['auth_token', 'password', 'service_key'];
  const labels = obj(tfBody.labels) ?? {};
  for (const k of secretKeys) {
    const v = labels[k];
    if (typeof v === 'string' && v !== '') out.error(childPath('$.labels', k), 'channel/secret-in-labels', `"${k}" is a sensitive label: set it in sensitive_labels, not labels (gcp-facts §6.2, §6.3)`);
  }
  const sens = Array.isArray(tfBody.sensitive_labels) ? obj(tfBody.sensitive_labels[0]) : obj(tfBody.sensitive_labels);
  for (const [k, v] of Object.entries(sens ?? {})) {
    if (typeof v === 'string' && v !== '' && !isInterpolation(v)) {
      out.error(childPath('$.sensitive_labels', k), 'channel/literal-secret', `sensitive_labels.${k} is a literal in the synthesized JSON; pass it via a sensitive TerraformVariable or Secret Manager (gcp-facts §6.3)`);
    }
  }
  return out.findings;
}

// ---------------------------------------------------------------------------------------------------------------------
// Log-based metrics (gcp-facts §3)

const LOG_METRIC_NAME = /^[A-Za-z0-9_\-.,+!*'()%/]+$/;

/** Number of capturing groups in an RE2 pattern (escapes, classes, (?:...), (?i) handled; (?P<n>...) counts). */
export function countCaptureGroups(re: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const ch = re[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++;
      continue;
    }
    if (ch === '(') {
      if (re[i + 1] !== '?') n++;
      else if (re.startsWith('(?P<', i) || (re.startsWith('(?<', i) && re[i + 3] !== '=' && re[i + 3] !== '!')) n++;
    }
  }
  return n;
}

/** gcp-facts §3.3: `EXTRACT(field)` or `REGEXP_EXTRACT(field, "regex")` with exactly one capture group. */
function lintExtractor(expr: unknown, path: string, out: Out): void {
  const e = str(expr);
  if (e === undefined || isInterpolation(e)) return;
  const t = e.trim();
  if (/^EXTRACT\(\s*[^,()]+\s*\)$/.test(t)) return;
  const m = /^REGEXP_EXTRACT\(\s*([^,]+?)\s*,\s*("(?:[^"\\]|\\.)*")\s*\)$/s.exec(t);
  if (!m) {
    out.error(path, 'logmetric/extractor', `extractor must be EXTRACT(field) or REGEXP_EXTRACT(field, "regex"), got ${JSON.stringify(e)} (gcp-facts §3.3)`);
    return;
  }
  let regex: string;
  try {
    regex = JSON.parse(m[2]) as string;
  } catch {
    regex = m[2].slice(1, -1);
  }
  const groups = countCaptureGroups(regex);
  if (groups !== 1) out.error(path, 'logmetric/regexp-capture-groups', `REGEXP_EXTRACT needs exactly one capture group, found ${groups} (gcp-facts §3.3)`);
}

function lintLogMetric(m: Obj, out: Out): void {
  // §3.1 name
  const name = str(m.name);
  if (!name) out.error('$.name', 'logmetric/name', 'name is required (gcp-facts §3.1)');
  else if (!isInterpolation(name)) {
    if (codePoints(name) > 100) out.error('$.name', 'logmetric/name', `name is ${codePoints(name)} characters; at most 100 (gcp-facts §3.1)`);
    if (!LOG_METRIC_NAME.test(name)) out.error('$.name', 'logmetric/name', `name may only contain A-Z a-z 0-9 _ - . , + ! * ' ( ) % / (gcp-facts §3.1)`);
    if (name.startsWith('/')) out.error('$.name', 'logmetric/name', 'name cannot start with "/" (gcp-facts §3.1)');
  }
  // §3.1 filter / description
  const filter = str(m.filter);
  if (!filter) out.error('$.filter', 'logmetric/filter', 'filter is required (gcp-facts §3.1)');
  else if (codePoints(filter) > 20000) out.error('$.filter', 'logmetric/filter', 'filter longer than 20,000 characters (gcp-facts §3.1)');
  const desc = str(m.description);
  if (desc !== undefined && codePoints(desc) > 8000) out.error('$.description', 'logmetric/description', 'description longer than 8,000 characters (gcp-facts §3.1)');
  // §3.2 kind: DELTA + INT64 or DELTA + DISTRIBUTION
  const md = obj(m.metricDescriptor);
  const kind = md ? md.metricKind : undefined;
  const vt = md ? md.valueType : undefined;
  if (md) {
    if (kind === undefined || vt === undefined) out.error('$.metricDescriptor', 'logmetric/kind', 'metricDescriptor needs both metricKind and valueType (gcp-facts §3.2)');
    if (kind !== undefined && kind !== 'DELTA') out.error('$.metricDescriptor.metricKind', 'logmetric/kind', `log-based metrics are DELTA, got ${String(kind)} (gcp-facts §3.2)`);
    if (vt !== undefined && vt !== 'INT64' && vt !== 'DISTRIBUTION') out.error('$.metricDescriptor.valueType', 'logmetric/kind', `log-based metrics are INT64 (counter) or DISTRIBUTION, got ${String(vt)} (gcp-facts §3.2)`);
  }
  const isDist = vt === 'DISTRIBUTION';
  if (isDist) {
    if (m.valueExtractor === undefined) out.error('$.valueExtractor', 'logmetric/distribution', 'a DISTRIBUTION metric needs valueExtractor (gcp-facts §3.2)');
    if (m.bucketOptions === undefined) out.error('$.bucketOptions', 'logmetric/distribution', 'a DISTRIBUTION metric needs bucketOptions (gcp-facts §3.2, §3.5)');
  } else {
    if (m.valueExtractor !== undefined) out.error('$.valueExtractor', 'logmetric/distribution', 'valueExtractor is only used with a DISTRIBUTION value type (gcp-facts §3.2)');
    if (m.bucketOptions !== undefined) out.warn('$.bucketOptions', 'logmetric/distribution', 'bucketOptions is only used with a DISTRIBUTION value type (gcp-facts §3.2)');
  }
  if (m.valueExtractor !== undefined) lintExtractor(m.valueExtractor, '$.valueExtractor', out);
  // §3.5 bucket options
  const bo = obj(m.bucketOptions);
  if (bo) lintBucketOptions(bo, out);
  // §3.3 / §3.4 labels and extractors
  const labels = arr(md?.labels);
  if (labels.length > 10) out.error('$.metricDescriptor.labels', 'logmetric/labels', `${labels.length} labels; at most 10 user-defined labels per metric (gcp-facts §3.4)`);
  const extractors = obj(m.labelExtractors) ?? {};
  const keys = new Set<string>();
  labels.forEach((l, i) => {
    const lp = indexPath('$.metricDescriptor.labels', i);
    const key = str(obj(l)?.key);
    if (!key) {
      out.error(`${lp}.key`, 'logmetric/labels', 'label key is required (gcp-facts §3.3)');
      return;
    }
    keys.add(key);
    if (!/^[a-z][a-z0-9_]*$/.test(key)) out.warn(`${lp}.key`, 'logmetric/label-key', `label key "${key}": use [a-z][a-z0-9_]* (gcp-facts §3.4, UNCONFIRMED charset)`);
    if (codePoints(key) > 100) out.error(`${lp}.key`, 'logmetric/label-key', 'label key longer than 100 characters (gcp-facts §3.4)');
    const lvt = obj(l)?.valueType;
    if (lvt !== undefined && !['STRING', 'BOOL', 'INT64'].includes(String(lvt))) out.error(`${lp}.valueType`, 'logmetric/labels', `label valueType must be STRING, BOOL or INT64 (gcp-facts §3.3)`);
    if (extractors[key] === undefined) out.error(`${lp}.key`, 'logmetric/label-extractor', `label "${key}" has no entry in labelExtractors (gcp-facts §3.3)`);
  });
  for (const [k, v] of Object.entries(extractors)) {
    const p = childPath('$.labelExtractors', k);
    if (!keys.has(k)) out.error(p, 'logmetric/label-extractor', `labelExtractors["${k}"] has no label in metricDescriptor.labels (gcp-facts §3.3)`);
    lintExtractor(v, p, out);
  }
}

function lintBucketOptions(bo: Obj, out: Out): void {
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);
  const kinds = ['linearBuckets', 'exponentialBuckets', 'explicitBuckets'].filter((k) => bo[k] !== undefined);
  if (kinds.length === 0) out.error('$.bucketOptions', 'logmetric/bucket-options', 'bucketOptions needs one of linearBuckets, exponentialBuckets, explicitBuckets (gcp-facts §3.5)');
  let finite: number | undefined;
  const lin = obj(bo.linearBuckets);
  if (lin) {
    finite = num(lin.numFiniteBuckets);
    if (!(finite !== undefined && finite > 0)) out.error('$.bucketOptions.linearBuckets.numFiniteBuckets', 'logmetric/bucket-options', 'numFiniteBuckets must be > 0 (gcp-facts §3.5)');
    const w = num(lin.width);
    if (!(w !== undefined && w > 0)) out.error('$.bucketOptions.linearBuckets.width', 'logmetric/bucket-options', 'width must be > 0 (gcp-facts §3.5)');
  }
  const exp = obj(bo.exponentialBuckets);
  if (exp) {
    finite = num(exp.numFiniteBuckets);
    if (!(finite !== undefined && finite > 0)) out.error('$.bucketOptions.exponentialBuckets.numFiniteBuckets', 'logmetric/bucket-options', 'numFiniteBuckets must be > 0 (gcp-facts §3.5)');
    const gf = num(exp.growthFactor);
    if (!(gf !== undefined && gf > 1)) out.error('$.bucketOptions.exponentialBuckets.growthFactor', 'logmetric/bucket-options', 'growthFactor must be > 1 (gcp-facts §3.5)');
    const sc = num(exp.scale);
    if (!(sc !== undefined && sc > 0)) out.error('$.bucketOptions.exponentialBuckets.scale', 'logmetric/bucket-options', 'scale must be > 0 (gcp-facts §3.5)');
  }
  const expl = obj(bo.explicitBuckets);
  if (expl) {
    const bounds = arr(expl.bounds).map(num);
    if (bounds.length < 1) out.error('$.bucketOptions.explicitBuckets.bounds', 'logmetric/bucket-options', 'bounds needs at least one element (gcp-facts §3.5)');
    for (let i = 1; i < bounds.length; i++) {
      const a = bounds[i - 1];
      const b = bounds[i];
      if (a === undefined || b === undefined || !(b > a)) {
        out.error(indexPath('$.bucketOptions.explicitBuckets.bounds', i), 'logmetric/bucket-options', 'bounds must be strictly increasing (gcp-facts §3.5)');
        break;
      }
    }
    finite = bounds.length - 1;
  }
  if (finite !== undefined && finite + 2 > 200) out.warn('$.bucketOptions', 'logmetric/bucket-count', `${finite + 2} buckets; custom distributions allow at most 200 (gcp-facts §3.5, UNCONFIRMED for log-based metrics)`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Metric descriptors

function lintMetricDescriptor(d: Obj, out: Out): void {
  if (!str(d.type)) out.error('$.type', 'metricdescriptor/type', 'type is required');
  if (d.metricKind === undefined || d.metricKind === 'METRIC_KIND_UNSPECIFIED') out.error('$.metricKind', 'metricdescriptor/kind', 'metricKind is required');
  if (d.valueType === undefined || d.valueType === 'VALUE_TYPE_UNSPECIFIED') out.error('$.valueType', 'metricdescriptor/kind', 'valueType is required');
  // gcp-facts §1.5: CUMULATIVE/DELTA metrics cannot be BOOL or STRING (no valid aligner for them beyond DELTA)
  if ((d.metricKind === 'DELTA' || d.metricKind === 'CUMULATIVE') && (d.valueType === 'BOOL' || d.valueType === 'STRING')) {
    out.error('$.valueType', 'metricdescriptor/kind', `${String(d.metricKind)} metrics must be numeric or DISTRIBUTION, not ${String(d.valueType)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Dashboards (gcp-facts §5)

function lintDashboard(d: Obj, out: Out, known: KnownMetrics, terraform: boolean): void {
  if (!str(d.displayName)) out.error('$.displayName', 'dashboard/display-name', 'displayName is required (gcp-facts §5.1)');
  for (const k of ['name', 'etag']) if (d[k] !== undefined) out.warn(`$.${k}`, 'dashboard/output-fields', `do not send ${k} on create (gcp-facts §5.1)`);
  const layouts = ['gridLayout', 'mosaicLayout', 'rowLayout', 'columnLayout'].filter((k) => d[k] !== undefined);
  if (layouts.length === 0) out.error('$', 'dashboard/layout', 'one of gridLayout, mosaicLayout, rowLayout, columnLayout is required (gcp-facts §5.1)');
  const mosaic = obj(d.mosaicLayout);
  if (mosaic) lintMosaic(mosaic, out);
  const widgets = countWidgets(d);
  if (widgets > WIDGETS_PER_DASHBOARD.max) out.warn('$', 'quota/widgets-per-dashboard', `${widgets} widgets; a dashboard holds at most ${WIDGETS_PER_DASHBOARD.max} (${WIDGETS_PER_DASHBOARD.source})`);
  // Every widget: content required; every time-series query: filter and aggregation rules.
  walk(d, '$', (v, path, key) => {
    if (key === 'widget' || /\.widgets\[\d+\]$/.test(path)) lintWidget(v, path, out);
    if (key === 'timeSeriesQuery') lintTimeSeriesQuery(v, path, out, known);
  });
  lintPerpetualDiffs(d, out, terraform ? 'error' : 'warning');
}

function walk(v: unknown, path: string, visit: (v: unknown, path: string, key: string | undefined) => void, key?: string): void {
  visit(v, path, key);
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, indexPath(path, i), visit, undefined));
  else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) walk(x, childPath(path, k), visit, k);
}

const WIDGET_CONTENT = ['xyChart', 'scorecard', 'text', 'blank', 'alertChart', 'timeSeriesTable', 'collapsibleGroup', 'logsPanel', 'incidentList', 'pieChart', 'errorReportingPanel', 'sectionHeader', 'singleViewGroup'];

function lintWidget(w: unknown, path: string, out: Out): void {
  const o = obj(w);
  if (!o) return;
  if (!Object.keys(o).some((k) => WIDGET_CONTENT.includes(k))) out.error(path, 'dashboard/widget-content', `a widget needs one content type (${WIDGET_CONTENT.join(', ')}) (gcp-facts §5.3)`);
}

function toInt(v: unknown, dflt: number): number | undefined {
  if (v === undefined) return dflt;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

/** gcp-facts §5.2: columns 1..48, tiles inside the columns, width/height ≥ 1, no overlaps (UNCONFIRMED → rejected). */
function lintMosaic(m: Obj, out: Out): void {
  const columns = toInt(m.columns, 0);
  if (columns === undefined || columns < 1 || columns > 48) out.error('$.mosaicLayout.columns', 'dashboard/mosaic-columns', `mosaicLayout.columns must be 1 to 48, got ${String(m.columns)} (gcp-facts §5.2)`);
  const rects: Array<{ i: number; x: number; y: number; w: number; h: number; group: boolean }> = [];
  arr(m.tiles).forEach((t, i) => {
    const tp = indexPath('$.mosaicLayout.tiles', i);
    const o = obj(t) ?? {};
    const x = toInt(o.xPos, 0);
    const y = toInt(o.yPos, 0);
    const w = toInt(o.width, 0);
    const h = toInt(o.height, 0);
    if (x === undefined || y === undefined || w === undefined || h === undefined) return;
    if (x < 0) out.error(`${tp}.xPos`, 'dashboard/mosaic-tile', 'xPos must be >= 0 (gcp-facts §5.2)');
    if (y < 0) out.error(`${tp}.yPos`, 'dashboard/mosaic-tile', 'yPos must be >= 0 (gcp-facts §5.2)');
    if (w < 1) out.error(`${tp}.width`, 'dashboard/mosaic-tile', 'width must be >= 1 (gcp-facts §5.2)');
    if (h < 1) out.error(`${tp}.height`, 'dashboard/mosaic-tile', 'height must be >= 1 (gcp-facts §5.2)');
    if (columns !== undefined && columns >= 1 && x + w > columns) out.error(tp, 'dashboard/mosaic-tile', `tile spans columns ${x}..${x + w - 1} but the layout has ${columns} columns (gcp-facts §5.2)`);
    rects.push({ i, x, y, w, h, group: obj(o.widget)?.collapsibleGroup !== undefined });
  });
  // Overlaps. A collapsibleGroup tile deliberately covers the tiles of its group, so it is only checked against other groups.
  for (let a = 0; a < rects.length; a++) {
    for (let b = a + 1; b < rects.length; b++) {
      const r = rects[a];
      const s = rects[b];
      if (r.group !== s.group) continue;
      if (r.w < 1 || r.h < 1 || s.w < 1 || s.h < 1) continue;
      if (r.x < s.x + s.w && s.x < r.x + r.w && r.y < s.y + s.h && s.y < r.y + r.h) {
        out.error(indexPath('$.mosaicLayout.tiles', s.i), 'dashboard/mosaic-overlap', `tile ${s.i} overlaps tile ${r.i} (gcp-facts §5.2: overlap behaviour UNCONFIRMED, rejected)`);
      }
    }
  }
}

function lintTimeSeriesQuery(q: unknown, path: string, out: Out, known: KnownMetrics): void {
  const o = obj(q);
  if (!o) return;
  if (o.timeSeriesQueryLanguage !== undefined) out.warn(`${path}.timeSeriesQueryLanguage`, 'dashboard/mql-deprecated', 'MQL is deprecated; use timeSeriesFilter or prometheusQuery (gcp-facts §1.2, §5.4)');
  const tsf = obj(o.timeSeriesFilter);
  if (tsf) {
    const p = `${path}.timeSeriesFilter`;
    const metric = lintMonitoringFilter(tsf.filter, `${p}.filter`, out, { requireResourceType: false });
    let shape: MetricShape | undefined = metric ? known[metric] : undefined;
    shape = lintAggregation(tsf.aggregation, `${p}.aggregation`, out, shape, metric, CHART_MAX_ALIGNMENT);
    lintAggregation(tsf.secondaryAggregation, `${p}.secondaryAggregation`, out, shape, metric, CHART_MAX_ALIGNMENT);
    lintLabelKeys(tsf.filter, [tsf.aggregation, tsf.secondaryAggregation], metric, known, `${p}.filter`, out);
  }
  const ratio = obj(o.timeSeriesFilterRatio);
  if (ratio) {
    const p = `${path}.timeSeriesFilterRatio`;
    const periods: Array<number | null> = [];
    for (const part of ['numerator', 'denominator']) {
      const rp = obj(ratio[part]);
      if (!rp) continue;
      const metric = lintMonitoringFilter(rp.filter, `${p}.${part}.filter`, out, { requireResourceType: false });
      lintAggregation(rp.aggregation, `${p}.${part}.aggregation`, out, metric ? known[metric] : undefined, metric, CHART_MAX_ALIGNMENT);
      lintLabelKeys(rp.filter, [rp.aggregation], metric, known, `${p}.${part}.filter`, out);
      periods.push(parseDurationSeconds(obj(rp.aggregation)?.alignmentPeriod));
    }
    // §1.4 / §5.4: ratio parts use the same alignment period
    if (periods.length === 2 && periods[0] !== periods[1]) out.error(`${p}.denominator.aggregation.alignmentPeriod`, 'dashboard/ratio-alignment', 'numerator and denominator must use the same alignment period (gcp-facts §1.4, §5.4)');
    const num = obj(ratio.numerator);
    const den = obj(ratio.denominator);
    if (num && den) lintRatioLabels([num.aggregation], [den.aggregation], `${p}.denominator.aggregation`, out);
    lintAggregation(ratio.secondaryAggregation, `${p}.secondaryAggregation`, out, undefined, undefined, CHART_MAX_ALIGNMENT);
  }
}

/** Canonical proto3 JSON duration: integer seconds, or 3/6/9 fraction digits (what the API returns). */
function isCanonicalDuration(s: string): boolean {
  if (/^-?(0|[1-9]\d*)s$/.test(s)) return true;
  const m = /^-?(0|[1-9]\d*)\.(\d{3}|\d{6}|\d{9})s$/.exec(s);
  return !!m && !/^0+$/.test(m[2]) && !/(000)$/.test(m[2]);
}

/**
 * gcp-facts §5.6: the provider's diff suppression does not handle values the API drops or normalizes: zero, false,
 * empty string, empty array (and `"xPos": 0` / `"yPos": 0` in particular), and non-canonical durations. Errors for
 * Terraform-managed dashboards (synth), warnings for standalone API JSON.
 */
function lintPerpetualDiffs(d: Obj, out: Out, severity: Severity): void {
  walkTyped(messageTypeFor('Dashboard'), d, '$', (typeName, v, path, key) => {
    if (typeName === 'google.protobuf.Duration') {
      if (typeof v === 'string' && parseDurationSeconds(v) !== null && !isCanonicalDuration(v)) {
        out.add(severity, path, 'dashboard/perpetual-diff', `duration ${v} is not canonical; write "${String(parseDurationSeconds(v))}s" form as the API returns it (gcp-facts §5.6)`);
      }
      return;
    }
    if (typeName === 'google.protobuf.Value' || typeName === 'google.protobuf.Struct' || typeName === 'google.protobuf.ListValue') return;
    if ((key === 'xPos' || key === 'yPos') && (v === 0 || v === '0')) {
      out.add(severity, path, 'dashboard/perpetual-diff', `"${key}": 0 is omitted by the API and causes a perpetual diff; leave the key out (gcp-facts §5.6)`);
      return;
    }
    if (v === 0 || v === '0' && /int|fixed/.test(typeName)) out.add(severity, path, 'dashboard/perpetual-diff', 'zero value is omitted by the API and causes a perpetual diff; leave the key out (gcp-facts §5.6)');
    else if (v === false) out.add(severity, path, 'dashboard/perpetual-diff', 'false is omitted by the API and causes a perpetual diff; leave the key out (gcp-facts §5.6)');
    else if (v === '') out.add(severity, path, 'dashboard/perpetual-diff', 'empty string is omitted by the API and causes a perpetual diff; leave the key out (gcp-facts §5.6)');
    else if (Array.isArray(v) && v.length === 0) out.add(severity, path, 'dashboard/perpetual-diff', 'empty array is omitted by the API and causes a perpetual diff; leave the key out (gcp-facts §5.6)');
  });
}

/** Walk a JSON object with its descriptor; `visit` gets the field type name (scalar type, enum or message full name). */
function walkTyped(type: Type, v: unknown, path: string, visit: (typeName: string, v: unknown, path: string, key: string) => void): void {
  const o = obj(v);
  if (!o) return;
  const index = fieldIndex(type);
  for (const [key, value] of Object.entries(o)) {
    const info = index.get(key);
    if (!info) continue;
    const p = childPath(path, key);
    const t = resolvedType(info.field);
    const typeName = t ? fullName(t) : info.field.type;
    visit(typeName, value, p, key);
    if (!isType(t) || typeName.startsWith('google.protobuf.')) continue;
    if (info.field.map && isPlainObject(value)) for (const [k, x] of Object.entries(value)) walkTyped(t, x, childPath(p, k), visit);
    else if (Array.isArray(value)) value.forEach((x, i) => walkTyped(t, x, indexPath(p, i), visit));
    else walkTyped(t, value, p, visit);
  }
}
