/** Dashboards as code: the mosaic builder, the renderer and the drift-free normalizer (no provider imports). */
export { layoutMosaic, mosaicProblems, MosaicError, MOSAIC_COLUMNS, type MosaicRowInput, type MosaicTileInput, type PlacedTile, type TileBox } from './mosaic';
export { normalizeDashboardJson, dashboardJsonString, driftRisks, canonicalDuration, removeComputedKeys, diffSuppressed, simulateApiRead, DURATION_FIELDS } from './normalize';
export { checkAggregation, type AggregationCheck } from './aggregation';
export { renderDashboard, renderDashboardJson, dashboardDisplayName, chartFilter, thresholdCondition, conditionChartValue, conditionWindowSeconds, DashboardSpecError, DEFAULT_ALIGNMENT_SECONDS } from './render';
export type * from './types';
