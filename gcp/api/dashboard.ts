/**
 * The subset of `google.monitoring.dashboard.v1.Dashboard` in API JSON (camelCase) that the project writes. Typed so
 * a misspelt field or enum fails the build rather than the apply.
 */
import type { ApiAggregation } from './aggregation';

export interface ApiPickTimeSeriesFilter {
  rankingMethod: 'METHOD_MEAN' | 'METHOD_MAX' | 'METHOD_MIN' | 'METHOD_SUM' | 'METHOD_LATEST';
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
