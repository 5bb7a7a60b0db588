/**
 * What this project knows about metrics beyond Google's built-ins: the app's own `custom.googleapis.com/vividly/*`
 * metrics, never given a descriptor by the app, so auto-created as GAUGE with the value type of the first point
 * (vividly-app.md §3.1, §3.2). The offline tools pass these to the library's lint and simulator.
 */
import type { KnownMetrics } from '../gcp/facts/metrics';
import { appCustomMetrics } from './signals';

export const CUSTOM_METRIC_PREFIX = 'custom.googleapis.com/vividly/';

export const APP_CUSTOM_METRICS: KnownMetrics = Object.fromEntries(
  appCustomMetrics.map((m) => [`${CUSTOM_METRIC_PREFIX}${m.name}`, { metricKind: 'GAUGE', valueType: m.valueType, labels: m.labels }]),
);
