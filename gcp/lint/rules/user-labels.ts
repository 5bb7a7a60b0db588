/** `userLabels` of alert policies, uptime checks and channels (gcp-facts §1.3, §4.1, §6.1). */
import { childPath, isInterpolation } from '../../schema/types';
import { codePoints, obj, utf8Bytes, type LintRule } from '../rule';

export const userLabelRules: LintRule[] = [
  {
    id: 'labels/user-labels',
    kinds: ['AlertPolicy', 'UptimeCheckConfig', 'NotificationChannel'],
    severity: 'error',
    source: 'gcp-facts §1.3',
    summary: 'at most 64 user labels; keys [a-z][a-z0-9_-]*, values [a-z0-9_-]*, each at most 63 characters / 128 bytes',
    check(r, report) {
      const l = obj(r.userLabels);
      if (!l) return;
      const entries = Object.entries(l);
      if (entries.length > 64) report('$.userLabels', `${entries.length} user labels; at most 64 (gcp-facts §1.3)`);
      for (const [k, v] of entries) {
        const p = childPath('$.userLabels', k);
        if (!/^[a-z][a-z0-9_-]*$/.test(k)) report(p, `label key "${k}" must match [a-z][a-z0-9_-]* (gcp-facts §1.3)`);
        if (codePoints(k) > 63 || utf8Bytes(k) > 128) report(p, 'label key longer than 63 characters / 128 bytes (gcp-facts §1.3)');
        if (typeof v !== 'string' || isInterpolation(v)) continue;
        if (!/^[a-z0-9_-]*$/.test(v)) report(p, `label value "${v}" may contain only [a-z0-9_-] (gcp-facts §1.3)`);
        if (codePoints(v) > 63 || utf8Bytes(v) > 128) report(p, 'label value longer than 63 characters / 128 bytes (gcp-facts §1.3)');
      }
    },
  },
];
