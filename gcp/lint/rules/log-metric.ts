/** Log-based metrics (gcp-facts §3). */
import { childPath, indexPath, isInterpolation } from '../../schema/types';
import { arr, codePoints, obj, str, type LintRule, type Obj, type Report } from '../rule';

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

/** Every extractor expression of a metric (value extractor and label extractors), with its path. */
function extractors(m: Obj): Array<{ path: string; expr: string }> {
  const out: Array<{ path: string; expr: string }> = [];
  const ve = str(m.valueExtractor);
  if (ve !== undefined) out.push({ path: '$.valueExtractor', expr: ve });
  for (const [k, v] of Object.entries(obj(m.labelExtractors) ?? {})) if (typeof v === 'string') out.push({ path: childPath('$.labelExtractors', k), expr: v });
  return out.filter((e) => !isInterpolation(e.expr));
}

/** `REGEXP_EXTRACT(field, "regex")` → its regex; null when the expression is `EXTRACT(field)`; undefined when neither. */
function regexOf(expr: string): string | null | undefined {
  const t = expr.trim();
  if (/^EXTRACT\(\s*[^,()]+\s*\)$/.test(t)) return null;
  const m = /^REGEXP_EXTRACT\(\s*([^,]+?)\s*,\s*("(?:[^"\\]|\\.)*")\s*\)$/s.exec(t);
  if (!m) return undefined;
  try {
    return JSON.parse(m[2]) as string;
  } catch {
    return m[2].slice(1, -1);
  }
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined;

function bucketOptions(bo: Obj, report: Report): number | undefined {
  const kinds = ['linearBuckets', 'exponentialBuckets', 'explicitBuckets'].filter((k) => bo[k] !== undefined);
  if (kinds.length === 0) report('$.bucketOptions', 'bucketOptions needs one of linearBuckets, exponentialBuckets, explicitBuckets (gcp-facts §3.5)');
  let finite: number | undefined;
  const lin = obj(bo.linearBuckets);
  if (lin) {
    finite = num(lin.numFiniteBuckets);
    if (!(finite !== undefined && finite > 0)) report('$.bucketOptions.linearBuckets.numFiniteBuckets', 'numFiniteBuckets must be > 0 (gcp-facts §3.5)');
    const w = num(lin.width);
    if (!(w !== undefined && w > 0)) report('$.bucketOptions.linearBuckets.width', 'width must be > 0 (gcp-facts §3.5)');
  }
  const exp = obj(bo.exponentialBuckets);
  if (exp) {
    finite = num(exp.numFiniteBuckets);
    if (!(finite !== undefined && finite > 0)) report('$.bucketOptions.exponentialBuckets.numFiniteBuckets', 'numFiniteBuckets must be > 0 (gcp-facts §3.5)');
    const gf = num(exp.growthFactor);
    if (!(gf !== undefined && gf > 1)) report('$.bucketOptions.exponentialBuckets.growthFactor', 'growthFactor must be > 1 (gcp-facts §3.5)');
    const sc = num(exp.scale);
    if (!(sc !== undefined && sc > 0)) report('$.bucketOptions.exponentialBuckets.scale', 'scale must be > 0 (gcp-facts §3.5)');
  }
  const expl = obj(bo.explicitBuckets);
  if (expl) {
    const bounds = arr(expl.bounds).map(num);
    if (bounds.length < 1) report('$.bucketOptions.explicitBuckets.bounds', 'bounds needs at least one element (gcp-facts §3.5)');
    for (let i = 1; i < bounds.length; i++) {
      const a = bounds[i - 1];
      const b = bounds[i];
      if (a === undefined || b === undefined || !(b > a)) {
        report(indexPath('$.bucketOptions.explicitBuckets.bounds', i), 'bounds must be strictly increasing (gcp-facts §3.5)');
        break;
      }
    }
    finite = bounds.length - 1;
  }
  return finite;
}

const KIND = ['LogMetric'] as const;
const rule = (r: Omit<LintRule, 'kinds'>): LintRule => ({ ...r, kinds: KIND });
const descriptor = (m: Obj) => obj(m.metricDescriptor);
const labelsOf = (m: Obj) => arr(descriptor(m)?.labels).map((l, i) => ({ path: indexPath('$.metricDescriptor.labels', i), l: obj(l) ?? {} }));
const isDistribution = (m: Obj) => descriptor(m)?.valueType === 'DISTRIBUTION';

export const logMetricRules: LintRule[] = [
  rule({
    id: 'logmetric/name',
    severity: 'error',
    source: 'gcp-facts §3.1',
    summary: "name is required, ≤ 100 characters of A-Z a-z 0-9 _ - . , + ! * ' ( ) % /, not starting with /",
    check(m, report) {
      const name = str(m.name);
      if (!name) return report('$.name', 'name is required (gcp-facts §3.1)');
      if (isInterpolation(name)) return;
      if (codePoints(name) > 100) report('$.name', `name is ${codePoints(name)} characters; at most 100 (gcp-facts §3.1)`);
      if (!LOG_METRIC_NAME.test(name)) report('$.name', `name may only contain A-Z a-z 0-9 _ - . , + ! * ' ( ) % / (gcp-facts §3.1)`);
      if (name.startsWith('/')) report('$.name', 'name cannot start with "/" (gcp-facts §3.1)');
    },
  }),
  rule({
    id: 'logmetric/filter',
    severity: 'error',
    source: 'gcp-facts §3.1',
    summary: 'filter is required, at most 20,000 characters',
    check(m, report) {
      const filter = str(m.filter);
      if (!filter) report('$.filter', 'filter is required (gcp-facts §3.1)');
      else if (codePoints(filter) > 20000) report('$.filter', 'filter longer than 20,000 characters (gcp-facts §3.1)');
    },
  }),
  rule({
    id: 'logmetric/description',
    severity: 'error',
    source: 'gcp-facts §3.1',
    summary: 'description at most 8,000 characters',
    check(m, report) {
      const desc = str(m.description);
      if (desc !== undefined && codePoints(desc) > 8000) report('$.description', 'description longer than 8,000 characters (gcp-facts §3.1)');
    },
  }),
  rule({
    id: 'logmetric/kind',
    severity: 'error',
    source: 'gcp-facts §3.2',
    summary: 'a log-based metric is DELTA, INT64 or DISTRIBUTION',
    check(m, report) {
      const md = descriptor(m);
      if (!md) return;
      if (md.metricKind === undefined || md.valueType === undefined)
        report('$.metricDescriptor', 'metricDescriptor needs both metricKind and valueType (gcp-facts §3.2)');
      if (md.metricKind !== undefined && md.metricKind !== 'DELTA')
        report('$.metricDescriptor.metricKind', `log-based metrics are DELTA, got ${String(md.metricKind)} (gcp-facts §3.2)`);
      if (md.valueType !== undefined && md.valueType !== 'INT64' && md.valueType !== 'DISTRIBUTION') {
        report('$.metricDescriptor.valueType', `log-based metrics are INT64 (counter) or DISTRIBUTION, got ${String(md.valueType)} (gcp-facts §3.2)`);
      }
    },
  }),
  rule({
    id: 'logmetric/distribution',
    severity: 'error',
    severityNote: 'warning for bucketOptions on a counter (ignored)',
    source: 'gcp-facts §3.2, §3.5',
    summary: 'a DISTRIBUTION has valueExtractor and bucketOptions; a counter has neither',
    check(m, report) {
      if (isDistribution(m)) {
        if (m.valueExtractor === undefined) report('$.valueExtractor', 'a DISTRIBUTION metric needs valueExtractor (gcp-facts §3.2)');
        if (m.bucketOptions === undefined) report('$.bucketOptions', 'a DISTRIBUTION metric needs bucketOptions (gcp-facts §3.2, §3.5)');
      } else {
        if (m.valueExtractor !== undefined) report('$.valueExtractor', 'valueExtractor is only used with a DISTRIBUTION value type (gcp-facts §3.2)');
        if (m.bucketOptions !== undefined) report('$.bucketOptions', 'bucketOptions is only used with a DISTRIBUTION value type (gcp-facts §3.2)', 'warning');
      }
    },
  }),
  rule({
    id: 'logmetric/extractor',
    severity: 'error',
    source: 'gcp-facts §3.3',
    summary: 'an extractor is EXTRACT(field) or REGEXP_EXTRACT(field, "regex")',
    check(m, report) {
      for (const { path, expr } of extractors(m)) {
        if (regexOf(expr) === undefined)
          report(path, `extractor must be EXTRACT(field) or REGEXP_EXTRACT(field, "regex"), got ${JSON.stringify(expr)} (gcp-facts §3.3)`);
      }
    },
  }),
  rule({
    id: 'logmetric/regexp-capture-groups',
    severity: 'error',
    source: 'gcp-facts §3.3',
    summary: 'REGEXP_EXTRACT has exactly one capture group',
    check(m, report) {
      for (const { path, expr } of extractors(m)) {
        const re = regexOf(expr);
        if (typeof re !== 'string') continue;
        const groups = countCaptureGroups(re);
        if (groups !== 1) report(path, `REGEXP_EXTRACT needs exactly one capture group, found ${groups} (gcp-facts §3.3)`);
      }
    },
  }),
  rule({
    id: 'logmetric/bucket-options',
    severity: 'error',
    source: 'gcp-facts §3.5',
    summary: 'bucketOptions: one bucket kind with positive counts, widths, growth > 1 and increasing bounds',
    check(m, report) {
      const bo = obj(m.bucketOptions);
      if (bo) bucketOptions(bo, report);
    },
  }),
  rule({
    id: 'logmetric/bucket-count',
    severity: 'warning',
    source: 'gcp-facts §3.5 (UNCONFIRMED for log-based metrics)',
    summary: 'at most 200 buckets',
    check(m, report) {
      const bo = obj(m.bucketOptions);
      if (!bo) return;
      const finite = bucketOptions(bo, () => undefined);
      if (finite !== undefined && finite + 2 > 200)
        report('$.bucketOptions', `${finite + 2} buckets; custom distributions allow at most 200 (gcp-facts §3.5, UNCONFIRMED for log-based metrics)`);
    },
  }),
  rule({
    id: 'logmetric/labels',
    severity: 'error',
    source: 'gcp-facts §3.3, §3.4',
    summary: 'at most 10 labels, each with a key and a STRING, BOOL or INT64 value type',
    check(m, report) {
      const labels = labelsOf(m);
      if (labels.length > 10) report('$.metricDescriptor.labels', `${labels.length} labels; at most 10 user-defined labels per metric (gcp-facts §3.4)`);
      for (const { path, l } of labels) {
        if (!str(l.key)) report(`${path}.key`, 'label key is required (gcp-facts §3.3)');
        else if (l.valueType !== undefined && !['STRING', 'BOOL', 'INT64'].includes(String(l.valueType)))
          report(`${path}.valueType`, 'label valueType must be STRING, BOOL or INT64 (gcp-facts §3.3)');
      }
    },
  }),
  rule({
    id: 'logmetric/label-key',
    severity: 'error',
    severityNote: 'warning for a key outside [a-z][a-z0-9_]* (UNCONFIRMED charset)',
    source: 'gcp-facts §3.4',
    summary: 'a label key is at most 100 characters, [a-z][a-z0-9_]*',
    check(m, report) {
      for (const { path, l } of labelsOf(m)) {
        const key = str(l.key);
        if (!key) continue;
        if (!/^[a-z][a-z0-9_]*$/.test(key)) report(`${path}.key`, `label key "${key}": use [a-z][a-z0-9_]* (gcp-facts §3.4, UNCONFIRMED charset)`, 'warning');
        if (codePoints(key) > 100) report(`${path}.key`, 'label key longer than 100 characters (gcp-facts §3.4)');
      }
    },
  }),
  rule({
    id: 'logmetric/label-extractor',
    severity: 'error',
    source: 'gcp-facts §3.3',
    summary: 'every label has an extractor and every extractor a label',
    check(m, report) {
      const ex = obj(m.labelExtractors) ?? {};
      const keys = new Set<string>();
      for (const { path, l } of labelsOf(m)) {
        const key = str(l.key);
        if (!key) continue;
        keys.add(key);
        if (ex[key] === undefined) report(`${path}.key`, `label "${key}" has no entry in labelExtractors (gcp-facts §3.3)`);
      }
      for (const k of Object.keys(ex))
        if (!keys.has(k)) report(childPath('$.labelExtractors', k), `labelExtractors["${k}"] has no label in metricDescriptor.labels (gcp-facts §3.3)`);
    },
  }),
];
