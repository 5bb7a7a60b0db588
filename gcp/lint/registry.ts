/**
 * Every lint rule, in one list: per-resource rules (one file per resource kind under rules/), the query rules shared by
 * alert conditions and charts, and the stack rules. lintApiResource and lintSynth run exactly these; the README's
 * rule table is generated from them (with the schema walker's ids from schema-rules.ts).
 */
import type { LintRule, StackRule } from './rule';
import { alertPolicyRules } from './rules/alert-policy';
import { dashboardRules } from './rules/dashboard';
import { logMetricRules } from './rules/log-metric';
import { metricDescriptorRules } from './rules/metric-descriptor';
import { channelSecretRules, notificationChannelRules } from './rules/notification-channel';
import { queryRules } from './rules/queries';
import { projectQuotaRules, resourceQuotaRules } from './rules/quotas';
import { uptimeCheckRules, uptimeCheckStackRules } from './rules/uptime-check';
import { userLabelRules } from './rules/user-labels';

export const RESOURCE_RULES: readonly LintRule[] = [
  ...alertPolicyRules,
  ...queryRules,
  ...uptimeCheckRules,
  ...notificationChannelRules,
  ...userLabelRules,
  ...logMetricRules,
  ...metricDescriptorRules,
  ...dashboardRules,
  ...resourceQuotaRules,
];

export const STACK_RULES: readonly StackRule[] = [...channelSecretRules, ...uptimeCheckStackRules, ...projectQuotaRules];

const ids = [...RESOURCE_RULES, ...STACK_RULES].map((r) => r.id);
const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
if (duplicate) throw new Error(`gcp/lint: rule id ${duplicate} is registered twice`);
