/**
 * The subset of `google.monitoring.dashboard.v1.Dashboard` in API JSON (camelCase) that the project writes. Typed so
 * a misspelt field or enum fails the build rather than the apply.
 */
import type { ApiAggregation } from './aggregation';

/** PickTimeSeriesFilter.Method: how a data set's series are ranked (the API's values but METHOD_UNSPECIFIED). */
export const RANKING_METHODS = ['METHOD_MEAN', 'METHOD_MAX', 'METHOD_MIN', 'METHOD_SUM', 'METHOD_LATEST'] as const;

export type RankingMethod = (typeof RANKING_METHODS)[number];

/** A ranking method as a reader says it: `METHOD_MAX` is `max` (any other string the same way). */
export function rankingName(method: string): string {
  return method.replace(/^METHOD_/, '').toLowerCase();
}

export interface ApiPickTimeSeriesFilter {
  rankingMethod: RankingMethod;
  numTimeSeries: number;
  direction: 'TOP' | 'BOTTOM';
}

export interface ApiTimeSeriesFilter {
  filter: string;
  aggregation?: ApiAggregation;
  pickTimeSeriesFilter?: ApiPickTimeSeriesFilter;
}

export interface ApiTimeSeriesFilterRatio {
  numerator: { filter: string; aggregation?: ApiAggregation };
  denominator: { filter: string; aggregation?: ApiAggregation };
  pickTimeSeriesFilter?: ApiPickTimeSeriesFilter;
}

export interface ApiTimeSeriesQuery {
  timeSeriesFilter?: ApiTimeSeriesFilter;
  timeSeriesFilterRatio?: ApiTimeSeriesFilterRatio;
  unitOverride?: string;
}

export interface ApiThreshold {
  label?: string;
  value?: number;
  color?: 'YELLOW' | 'RED';
  direction?: 'ABOVE' | 'BELOW';
  targetAxis?: 'Y1' | 'Y2';
}

export interface ApiXyChart {
  dataSets: Array<{ timeSeriesQuery: ApiTimeSeriesQuery; plotType?: 'LINE' | 'STACKED_AREA' | 'STACKED_BAR' | 'HEATMAP'; minAlignmentPeriod?: string }>;
  thresholds?: ApiThreshold[];
  yAxis?: { label?: string; scale?: 'LINEAR' | 'LOG10' };
}

export interface ApiTimeSeriesTable {
  dataSets: Array<{ timeSeriesQuery: ApiTimeSeriesQuery; minAlignmentPeriod?: string }>;
  metricVisualization?: 'NUMBER' | 'BAR';
}

export interface ApiText {
  content: string;
  format: 'MARKDOWN' | 'RAW';
}

export type ApiWidget = { title?: string } & (
  { xyChart: ApiXyChart } | { timeSeriesTable: ApiTimeSeriesTable } | { text: ApiText } | { incidentList: { policyNames?: string[] } }
);

export interface ApiTile<W = ApiWidget> {
  xPos?: number;
  yPos?: number;
  width: number;
  height: number;
  widget: W;
}

export interface ApiDashboard {
  displayName: string;
  mosaicLayout: { columns: number; tiles: ApiTile[] };
  labels?: Record<string, string>;
}
