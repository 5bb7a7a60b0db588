/** Metric descriptors (google.api.MetricDescriptor; gcp-facts §1.5 for the kind/type pairs). */
import { str, type LintRule } from '../rule';

const KIND = ['MetricDescriptor'] as const;

export const metricDescriptorRules: LintRule[] = [
  {
    id: 'metricdescriptor/type',
    kinds: KIND,
    severity: 'error',
    source: 'metric.proto (MetricDescriptor.type)',
    summary: 'type is required',
    check(d, report) {
      if (!str(d.type)) report('$.type', 'type is required');
    },
  },
  {
    id: 'metricdescriptor/kind',
    kinds: KIND,
    severity: 'error',
    source: 'metric.proto; gcp-facts §1.5',
    summary: 'metricKind and valueType are set; DELTA and CUMULATIVE metrics are numeric or DISTRIBUTION',
    check(d, report) {
      if (d.metricKind === undefined || d.metricKind === 'METRIC_KIND_UNSPECIFIED') report('$.metricKind', 'metricKind is required');
      if (d.valueType === undefined || d.valueType === 'VALUE_TYPE_UNSPECIFIED') report('$.valueType', 'valueType is required');
      if ((d.metricKind === 'DELTA' || d.metricKind === 'CUMULATIVE') && (d.valueType === 'BOOL' || d.valueType === 'STRING')) {
        report('$.valueType', `${String(d.metricKind)} metrics must be numeric or DISTRIBUTION, not ${String(d.valueType)}`);
      }
    },
  },
];
