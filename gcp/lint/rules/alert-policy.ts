/** Alert policies (gcp-facts §1). */
import { CONDITION_TYPES } from '../../api/alert-policy';
import { isSloSelectorFilter } from '../../filter';
import { parseDurationSeconds } from '../../schema/validate';
import { indexPath, isInterpolation } from '../../schema/types';
import { arr, codePoints, obj, str, utf8Bytes, type LintRule, type Obj, type Report } from '../rule';

const CONDITION_KEYS: readonly string[] = CONDITION_TYPES;

interface ConditionView {
  path: string;
  c: Obj;
  type: string | undefined;
}

function conditions(p: Obj): ConditionView[] {
  return arr(p.conditions).map((c, i) => {
    const o = obj(c) ?? {};
    return { path: indexPath('$.conditions', i), c: o, type: CONDITION_KEYS.find((k) => o[k] !== undefined) };
  });
}

/** Each condition of the given type, with the body of that type and its path. */
function each(p: Obj, type: string, fn: (body: Obj, path: string, condition: ConditionView) => void): void {
  for (const cv of conditions(p)) {
    const body = obj(cv.c[type]);
    if (body) fn(body, `${cv.path}.${type}`, cv);
  }
}

const hasLogMatch = (p: Obj) => conditions(p).some((c) => c.type === 'conditionMatchedLog');

const isSlo = (filter: unknown): boolean => typeof filter === 'string' && isSloSelectorFilter(filter);

/** A duration in whole minutes and at least `min` seconds: the two duration rules share the parse. */
function durations(p: Obj): Array<{ path: string; value: unknown; min: number; section: string }> {
  const out: Array<{ path: string; value: unknown; min: number; section: string }> = [];
  each(p, 'conditionThreshold', (th, path) => th.duration !== undefined && out.push({ path: `${path}.duration`, value: th.duration, min: 0, section: '§1.4' }));
  each(p, 'conditionAbsent', (ab, path) => ab.duration !== undefined && out.push({ path: `${path}.duration`, value: ab.duration, min: 120, section: '§1.6' }));
  each(
    p,
    'conditionMonitoringQueryLanguage',
    (m, path) => m.duration !== undefined && out.push({ path: `${path}.duration`, value: m.duration, min: 0, section: '§1.4' }),
  );
  return out;
}

const KIND = ['AlertPolicy'] as const;
const rule = (r: Omit<LintRule, 'kinds'>): LintRule => ({ ...r, kinds: KIND });

function documentation(p: Obj, report: Report): void {
  const d = obj(p.documentation);
  if (!d) return;
  const content = str(d.content);
  if (content !== undefined) {
    if (codePoints(content) > 8192) report('$.documentation.content', `content is ${codePoints(content)} characters; at most 8,192 (gcp-facts §1.3)`);
    if (utf8Bytes(content) > 10240) report('$.documentation.content', `content is ${utf8Bytes(content)} UTF-8 bytes; at most 10,240 (gcp-facts §1.3)`);
  }
  const subject = str(d.subject);
  if (subject !== undefined && utf8Bytes(subject) > 10240) report('$.documentation.subject', 'subject longer than 10,240 bytes (gcp-facts §1.3)');
  if (d.mimeType !== undefined && d.mimeType !== 'text/markdown') report('$.documentation.mimeType', 'mimeType must be "text/markdown" (gcp-facts §1.3)');
  const links = arr(d.links);
  if (links.length > 3) report('$.documentation.links', `${links.length} links; at most 3 (gcp-facts §1.3)`);
  links.forEach((l, i) => {
    const lp = indexPath('$.documentation.links', i);
    const name = str(obj(l)?.displayName);
    if (!name) report(`${lp}.displayName`, 'link displayName must not be empty (gcp-facts §1.3)');
    else if (codePoints(name) > 63) report(`${lp}.displayName`, 'link displayName longer than 63 characters (gcp-facts §1.3)');
    const url = str(obj(l)?.url);
    if (url !== undefined && codePoints(url) > 2083) report(`${lp}.url`, 'link url longer than 2,083 characters (gcp-facts §1.3)');
  });
}

export const alertPolicyRules: LintRule[] = [
  rule({
    id: 'alert/display-name',
    severity: 'error',
    source: 'gcp-facts §1.3',
    summary: 'displayName is required, at most 512 characters',
    check(p, report) {
      const dn = str(p.displayName);
      if (!dn) report('$.displayName', 'displayName is required (gcp-facts §1.3)');
      else if (codePoints(dn) > 512) report('$.displayName', 'displayName longer than 512 characters (gcp-facts §1.3)');
    },
  }),
  rule({
    id: 'alert/combiner',
    severity: 'error',
    source: 'gcp-facts §1.3',
    summary: 'combiner is required (Terraform)',
    check(p, report) {
      if (p.combiner === undefined) report('$.combiner', 'combiner is required (gcp-facts §1.3)');
    },
  }),
  rule({
    id: 'alert/conditions-count',
    severity: 'error',
    source: 'gcp-facts §1.3, §1.10',
    summary: 'a policy has 1 to 6 conditions',
    check(p, report) {
      const n = arr(p.conditions).length;
      if (n < 1 || n > 6) report('$.conditions', `a policy has 1 to 6 conditions, found ${n} (gcp-facts §1.3, §1.10)`);
    },
  }),
  rule({
    id: 'alert/log-match-alone',
    severity: 'error',
    source: 'gcp-facts §1.7',
    summary: 'a log-match condition is the only condition of its policy',
    check(p, report) {
      if (hasLogMatch(p) && arr(p.conditions).length > 1)
        report('$.conditions', 'a policy with a conditionMatchedLog can only have a single condition (gcp-facts §1.7)');
    },
  }),
  rule({
    id: 'alert/mql-alone',
    severity: 'error',
    source: 'gcp-facts §1.1',
    summary: 'an MQL condition is the only condition of its policy',
    check(p, report) {
      if (conditions(p).some((c) => c.type === 'conditionMonitoringQueryLanguage') && arr(p.conditions).length > 1)
        report('$.conditions', 'an MQL condition must be the only condition (gcp-facts §1.1)');
    },
  }),
  rule({
    id: 'alert/log-match-rate-limit',
    severity: 'error',
    severityNote: 'warning for a rate limit on a policy without log match, or a period under 300 s',
    source: 'gcp-facts §1.7, §1.9',
    summary: 'a log-match policy needs alertStrategy.notificationRateLimit; other policies ignore it',
    check(p, report) {
      const rateLimit = obj(obj(p.alertStrategy)?.notificationRateLimit);
      const logMatch = hasLogMatch(p);
      if (logMatch && !rateLimit)
        report(
          '$.alertStrategy.notificationRateLimit',
          'alertStrategy.notificationRateLimit is required for a policy with a conditionMatchedLog (gcp-facts §1.7, §1.9)',
        );
      if (!rateLimit) return;
      const period = parseDurationSeconds(rateLimit.period);
      if (!logMatch)
        report('$.alertStrategy.notificationRateLimit', 'notificationRateLimit is only implemented for log-match policies (gcp-facts §1.9)', 'warning');
      else if (period !== null && period < 300)
        report(
          '$.alertStrategy.notificationRateLimit.period',
          'log-based policies notify at most once every 5 minutes; use period >= "300s" (gcp-facts §1.7, UNCONFIRMED as an API minimum)',
          'warning',
        );
    },
  }),
  rule({
    id: 'alert/notification-prompts',
    severity: 'error',
    source: 'gcp-facts §1.7, §1.9',
    summary: 'no NOTIFICATION_PROMPT_UNSPECIFIED; log-match policies support only OPENED',
    check(p, report) {
      const logMatch = hasLogMatch(p);
      arr(obj(p.alertStrategy)?.notificationPrompts).forEach((np, i) => {
        const path = indexPath('$.alertStrategy.notificationPrompts', i);
        if (np === 'NOTIFICATION_PROMPT_UNSPECIFIED') report(path, 'NOTIFICATION_PROMPT_UNSPECIFIED is treated as an error (gcp-facts §1.9)');
        if (logMatch && np === 'CLOSED') report(path, 'log-based policies only support [OPENED] (gcp-facts §1.7)');
      });
    },
  }),
  rule({
    id: 'alert/channel-strategy',
    severity: 'error',
    source: 'gcp-facts §1.9',
    summary: "notificationChannelStrategy names only the policy's own channels",
    check(p, report) {
      const channels = new Set(arr(p.notificationChannels).filter((c): c is string => typeof c === 'string'));
      arr(obj(p.alertStrategy)?.notificationChannelStrategy).forEach((s, i) => {
        arr(obj(s)?.notificationChannelNames).forEach((n, j) => {
          if (typeof n === 'string' && !channels.has(n)) {
            report(
              `${indexPath('$.alertStrategy.notificationChannelStrategy', i)}.notificationChannelNames[${j}]`,
              `"${n}" is not one of the policy's notificationChannels (gcp-facts §1.9)`,
            );
          }
        });
      });
    },
  }),
  rule({
    id: 'alert/documentation',
    severity: 'error',
    source: 'gcp-facts §1.3',
    summary: 'documentation: content ≤ 8,192 characters and 10,240 bytes, text/markdown, ≤ 3 links with names ≤ 63 characters',
    check: documentation,
  }),
  rule({
    id: 'alert/condition-display-name',
    severity: 'error',
    source: 'gcp-facts §1.3',
    summary: 'every condition has a displayName (Terraform)',
    check(p, report) {
      for (const { c, path } of conditions(p))
        if (!c.displayName) report(`${path}.displayName`, 'conditions[].displayName is required in Terraform (gcp-facts §1.3)');
    },
  }),
  rule({
    id: 'alert/condition-name',
    severity: 'warning',
    source: 'gcp-facts §1.3',
    summary: 'a condition name is output-only: do not send it',
    check(p, report) {
      for (const { c, path } of conditions(p))
        if (c.name !== undefined) report(`${path}.name`, 'do not send condition name on create; it is output-only (gcp-facts §1.3)');
    },
  }),
  rule({
    id: 'alert/condition-type',
    severity: 'error',
    source: 'gcp-facts §1.1',
    summary: 'every condition holds a condition type',
    check(p, report) {
      for (const { type, path } of conditions(p)) if (!type) report(path, 'a condition holds exactly one condition type (gcp-facts §1.1)');
    },
  }),
  rule({
    id: 'alert/comparison',
    severity: 'error',
    source: 'gcp-facts §1.4',
    summary: 'a threshold comparison is required and is COMPARISON_GT or COMPARISON_LT',
    check(p, report) {
      each(p, 'conditionThreshold', (th, path) => {
        if (th.comparison === undefined) report(`${path}.comparison`, 'comparison is required (gcp-facts §1.4)');
        else if (th.comparison !== 'COMPARISON_GT' && th.comparison !== 'COMPARISON_LT' && !isInterpolation(th.comparison)) {
          report(`${path}.comparison`, `${String(th.comparison)}: only COMPARISON_GT and COMPARISON_LT are supported by the API (gcp-facts §1.4)`);
        }
      });
    },
  }),
  rule({
    id: 'alert/duration-required',
    severity: 'error',
    source: 'gcp-facts §1.4, §1.6',
    summary: 'threshold and absence conditions have a duration (Terraform)',
    check(p, report) {
      each(
        p,
        'conditionThreshold',
        (th, path) => th.duration === undefined && report(`${path}.duration`, 'duration is required in Terraform (gcp-facts §1.4)'),
      );
      each(p, 'conditionAbsent', (ab, path) => ab.duration === undefined && report(`${path}.duration`, 'duration is required in Terraform (gcp-facts §1.6)'));
    },
  }),
  rule({
    id: 'alert/duration-whole-minutes',
    severity: 'error',
    source: 'gcp-facts §1.4, §1.6',
    summary: 'a condition duration is a multiple of 60 s',
    check(p, report) {
      for (const d of durations(p)) {
        const secs = parseDurationSeconds(d.value);
        if (secs !== null && secs % 60 !== 0) report(d.path, `duration ${String(d.value)} must be a multiple of 60 s (gcp-facts ${d.section})`);
      }
    },
  }),
  rule({
    id: 'alert/duration-minimum',
    severity: 'error',
    source: 'gcp-facts §1.6',
    summary: 'an absence condition lasts at least 120 s',
    check(p, report) {
      for (const d of durations(p)) {
        const secs = parseDurationSeconds(d.value);
        if (secs !== null && secs < d.min) report(d.path, `duration ${String(d.value)} is below the minimum of ${d.min} s (gcp-facts ${d.section})`);
      }
    },
  }),
  rule({
    id: 'alert/evaluation-missing-data',
    severity: 'error',
    source: 'gcp-facts §1.4',
    summary: 'evaluationMissingData needs a duration of at least 60 s',
    check(p, report) {
      each(p, 'conditionThreshold', (th, path) => {
        const secs = parseDurationSeconds(th.duration);
        if (th.evaluationMissingData !== undefined && th.duration !== undefined && secs !== null && secs < 60) {
          report(`${path}.evaluationMissingData`, 'evaluationMissingData requires duration >= 60s (gcp-facts §1.4)');
        }
      });
    },
  }),
  rule({
    id: 'alert/forecast-horizon',
    severity: 'error',
    source: 'gcp-facts §1.1',
    summary: 'a forecast horizon is 1 h to 60 h',
    check(p, report) {
      each(p, 'conditionThreshold', (th, path) => {
        const fh = parseDurationSeconds(obj(th.forecastOptions)?.forecastHorizon);
        if (fh !== null && (fh < 3600 || fh > 216000))
          report(`${path}.forecastOptions.forecastHorizon`, 'forecastHorizon must be 1 h to 60 h (gcp-facts §1.1)');
      });
    },
  }),
  rule({
    id: 'alert/slo-aggregations',
    severity: 'error',
    source: 'create-policy-api ("the only field used in a condition for an SLO is the filter field")',
    summary: 'an SLO selector condition has no aggregations (they would be ignored)',
    check(p, report) {
      each(p, 'conditionThreshold', (th, path) => {
        if (isSlo(th.filter) && arr(th.aggregations).length)
          report(`${path}.aggregations`, 'an SLO selector condition uses only its filter; remove the aggregations');
      });
    },
  }),
  rule({
    id: 'alert/ratio-alignment',
    severity: 'error',
    source: 'gcp-facts §1.4',
    summary: 'a ratio has a denominatorFilter and the same alignment periods in numerator and denominator',
    check(p, report) {
      each(p, 'conditionThreshold', (th, path) => {
        if (th.denominatorFilter === undefined) {
          if (th.denominatorAggregations !== undefined)
            report(`${path}.denominatorAggregations`, 'denominatorAggregations without denominatorFilter (gcp-facts §1.4)');
          return;
        }
        const periods = (xs: unknown[]) => xs.map((a) => parseDurationSeconds(obj(a)?.alignmentPeriod));
        const np = periods(arr(th.aggregations));
        const dp = periods(arr(th.denominatorAggregations));
        if (np.length !== dp.length || np.some((v, i) => v !== dp[i])) {
          report(
            `${path}.denominatorAggregations`,
            `ratio conditions need the same alignment periods in aggregations and denominatorAggregations (${JSON.stringify(np)} vs ${JSON.stringify(dp)}) (gcp-facts §1.4)`,
          );
        }
      });
    },
  }),
  rule({
    id: 'alert/mql-deprecated',
    severity: 'warning',
    source: 'gcp-facts §1.2',
    summary: 'MQL is deprecated',
    check(p, report) {
      each(p, 'conditionMonitoringQueryLanguage', (_m, path) =>
        report(path, 'MQL is deprecated; use conditionThreshold or conditionPrometheusQueryLanguage (gcp-facts §1.2)'),
      );
    },
  }),
  rule({
    id: 'alert/promql',
    severity: 'error',
    source: 'gcp-facts §1.8',
    summary: 'PromQL: a query, an evaluation interval that is a multiple of 30 s, rule names ≤ 2,048 characters',
    check(p, report) {
      each(p, 'conditionPrometheusQueryLanguage', (prom, path) => {
        if (!str(prom.query)) report(`${path}.query`, 'query is required and must not be empty (gcp-facts §1.8)');
        const ei = parseDurationSeconds(prom.evaluationInterval);
        if (ei !== null && (ei <= 0 || ei % 30 !== 0))
          report(`${path}.evaluationInterval`, 'evaluationInterval must be a positive multiple of 30 s (gcp-facts §1.8)');
        for (const k of ['ruleGroup', 'alertRule']) {
          const s = str(prom[k]);
          if (s !== undefined && codePoints(s) > 2048) report(`${path}.${k}`, `${k} longer than 2,048 characters (gcp-facts §1.8)`);
        }
      });
    },
  }),
  rule({
    id: 'alert/log-match-filter',
    severity: 'error',
    source: 'gcp-facts §1.7',
    summary: 'a log-match condition has a filter',
    check(p, report) {
      each(p, 'conditionMatchedLog', (log, path) => !str(log.filter) && report(`${path}.filter`, 'filter is required (gcp-facts §1.7)'));
    },
  }),
];
