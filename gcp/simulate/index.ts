/** Public API of the alert-policy simulator (no cdktf / provider imports). */
export { simulateScenario } from './simulate';
export { loadScenarioFile, parseScenario } from './scenario';
export type { Scenario, ScenarioSpec, SeriesSpec } from './scenario';
export { loadPolicyFile, loadPolicyDocument, resolveInterpolations } from './policies';
export type { PolicySet } from './policies';
export { evaluatePolicy, evaluationTimes, checkExpectations } from './engine';
export type { ScenarioResult, PolicyResult, ConditionResult, OutputSeries } from './engine';
export { toJson, formatTable, formatMarkdownReport } from './report';
export type { JsonOutput, JsonAlert } from './report';
export { renderPolicySvg } from './plot';
export { alignWindow, reduceValues, checkAligner, checkReducer } from './aggregation';
export { parseMonitoringFilter, matchesFilter } from './filter';
export { compileGenerator, hashUniform, diurnalShape, CountRounder, PoissonCounter, countDrawer } from './generators';
export type { GeneratorSpec } from './generators';
export { INGESTION_DELAYS, ingestionDelay } from './delays';
export { aggregationWindowSeconds, conditionLookbackSeconds, durationSeconds, sloLookbackSeconds } from './lookback';
export { logMetricSeries, logMetricFromApi } from './logmetrics';
export { InputError, EvaluationError } from './errors';
export type * from './types';
// The API shapes the simulator reads (defined in gcp/api).
export type { ApiAggregation } from '../api/aggregation';
export type { ApiAlertPolicy, ApiCondition, ApiLogMatch, ApiMetricAbsence, ApiMetricThreshold, ApiTrigger } from '../api/alert-policy';
export { sloFromApi, sloFromTf, parseSloSelector, compileSli } from './slo';
export type { SimSlo, SloSli } from './slo';
