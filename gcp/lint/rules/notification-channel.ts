/** Notification channels (gcp-facts §6). */
import { childPath, isInterpolation } from '../../schema/types';
import { codePoints, obj, str, type LintRule, type StackRule } from '../rule';

const CHANNEL_LABELS: Readonly<Record<string, string[]>> = {
  email: ['email_address'],
  slack: ['channel_name'],
  pagerduty: ['service_key'],
  webhook_tokenauth: ['url'],
  webhook_basicauth: ['url', 'username', 'password'],
  pubsub: ['topic'],
  sms: ['number'],
};

const KIND = ['NotificationChannel'] as const;
const rule = (r: Omit<LintRule, 'kinds'>): LintRule => ({ ...r, kinds: KIND });

export const notificationChannelRules: LintRule[] = [
  rule({
    id: 'channel/type',
    severity: 'error',
    source: 'gcp-facts §6.1',
    summary: 'type is required',
    check(c, report) {
      if (!str(c.type)) report('$.type', 'type is required (gcp-facts §6.1)');
    },
  }),
  rule({
    id: 'channel/display-name',
    severity: 'error',
    source: 'gcp-facts §6.1',
    summary: 'displayName at most 512 characters',
    check(c, report) {
      const dn = str(c.displayName);
      if (dn !== undefined && codePoints(dn) > 512) report('$.displayName', 'displayName longer than 512 characters (gcp-facts §6.1)');
    },
  }),
  rule({
    id: 'channel/description',
    severity: 'error',
    source: 'gcp-facts §6.1',
    summary: 'description at most 1,024 characters',
    check(c, report) {
      const desc = str(c.description);
      if (desc !== undefined && codePoints(desc) > 1024) report('$.description', 'description longer than 1,024 characters (gcp-facts §6.1)');
    },
  }),
  rule({
    id: 'channel/labels',
    severity: 'warning',
    severityNote: 'error for a Pub/Sub topic that is not projects/P/topics/T',
    source: 'gcp-facts §6.1',
    summary: "a channel carries its type's labels; a Pub/Sub topic is a full topic name",
    check(c, report) {
      const type = str(c.type);
      const labels = obj(c.labels) ?? {};
      for (const need of (type && CHANNEL_LABELS[type]) || []) {
        if (labels[need] === undefined) report(childPath('$.labels', need), `a "${type}" channel normally needs label "${need}" (gcp-facts §6.1)`);
      }
      const topic = str(labels.topic);
      if (type === 'pubsub' && topic !== undefined && !isInterpolation(topic) && !/^projects\/[^/]+\/topics\/[^/]+$/.test(topic)) {
        report('$.labels.topic', 'topic must be projects/P/topics/T (gcp-facts §6.1)', 'error');
      }
    },
  }),
  rule({
    id: 'channel/webhook-token',
    severity: 'warning',
    source: 'gcp-facts §6.3',
    summary: 'webhook_tokenauth exposes its token in plan and state',
    check(c, report) {
      if (c.type === 'webhook_tokenauth') {
        report(
          '$.type',
          'webhook_tokenauth carries its token in the url label, visible in plan and state; prefer webhook_basicauth + sensitive_labels.password or pubsub (gcp-facts §6.3)',
        );
      }
    },
  }),
];

/** Secrets in the Terraform body itself: the API form cannot show where a value came from. */
export const channelSecretRules: StackRule[] = [
  {
    id: 'channel/secret-in-labels',
    severity: 'error',
    source: 'gcp-facts §6.2, §6.3',
    summary: 'auth_token, password and service_key go in sensitive_labels, not labels',
    check(stack, report) {
      for (const r of stack.resources) {
        if (r.kind !== 'NotificationChannel') continue;
        const labels = obj(r.tfBody.labels) ?? {};
        for (const k of ['auth_token', 'password', 'service_key']) {
          const v = labels[k];
          if (typeof v === 'string' && v !== '')
            report(r.address, childPath('$.labels', k), `"${k}" is a sensitive label: set it in sensitive_labels, not labels (gcp-facts §6.2, §6.3)`);
        }
      }
    },
  },
  {
    id: 'channel/literal-secret',
    severity: 'error',
    source: 'gcp-facts §6.3',
    summary: 'sensitive_labels come from a sensitive variable or Secret Manager, never a literal in the synth',
    check(stack, report) {
      for (const r of stack.resources) {
        if (r.kind !== 'NotificationChannel') continue;
        const sens = Array.isArray(r.tfBody.sensitive_labels) ? obj(r.tfBody.sensitive_labels[0]) : obj(r.tfBody.sensitive_labels);
        for (const [k, v] of Object.entries(sens ?? {})) {
          if (typeof v === 'string' && v !== '' && !isInterpolation(v)) {
            report(
              r.address,
              childPath('$.sensitive_labels', k),
              `sensitive_labels.${k} is a literal in the synthesized JSON; pass it via a sensitive TerraformVariable or Secret Manager (gcp-facts §6.3)`,
            );
          }
        }
      }
    },
  },
];
