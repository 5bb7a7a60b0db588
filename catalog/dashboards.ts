/**
 * The dashboards, as data: rows of tiles that name signal ids, their aggregation and the alert whose threshold
 * line a chart shows. No provider imports: constructs/dashboards/render.ts turns a spec into `dashboard_json`, and the
 * alerts, the docs and the tests read the same catalog, so a renamed metric cannot leave a chart behind.
 *
 * Conventions:
 * - A chart that shows an alert's condition uses that condition's query (signal, `where`, aligner, reducer,
 *   groupBy) and, unless a series says otherwise, the condition's alignment window (resolved per environment):
 *   the threshold line is then read against the very numbers the alert evaluates.
 * - Threshold values come from `resolveAlerts(env)`, so an environment's override moves the line.
 */
import type { AlertId, EnvironmentConfig } from '../environments/schema';
import type { CatalogAlertId, DashboardId, SignalId, SloId } from './ids';
import { SELECT } from './signals';
import { BURN_RATE_WINDOWS, burnRateThreshold, humanWindow, SLOS, sloSettings } from './slos';
import type { Aligner, Reducer } from './types';
import type { RankingMethod } from '../gcp/api/dashboard';

/** One series selection: a signal of catalog/signals.ts, extra label terms and its aggregation. */
export interface ChartQuery {
  signal: SignalId;
  /** Label terms ANDed to the signal's filter. */
  where?: string;
  aligner: Aligner;
  reducer?: Reducer;
  groupBy?: string[];
  /** Alignment period; default: the threshold alert condition's window if the tile has one, else 60 s. */
  alignmentSeconds?: number;
}

export interface RatioQuery {
  numerator: ChartQuery;
  denominator: ChartQuery;
}

export type PlotType = 'LINE' | 'STACKED_AREA' | 'STACKED_BAR' | 'HEATMAP';

/** An SLO time series read with a selector (`select_slo_budget_fraction(...)`, `select_slo_burn_rate(..., lookback)`). */
export interface SloQuery {
  selector: 'select_slo_budget_fraction' | 'select_slo_burn_rate';
  sloId: SloId;
  lookbackSeconds?: number;
}

export interface SeriesSpec {
  /** A plain series, a ratio (rendered as `timeSeriesFilterRatio`) or an SLO selector. */
  query: ChartQuery | { ratio: RatioQuery } | { slo: SloQuery };
  plot?: PlotType;
  /** Only the N highest series (`pickTimeSeriesFilter`). */
  top?: { count: number; method: RankingMethod };
}

/** A threshold line: an alert condition's threshold (resolved per environment), or a fixed value. */
export type ThresholdSpec =
  { alert: CatalogAlertId; condition?: number; label?: string } | { label: string; value: (env: EnvironmentConfig) => number; color?: 'YELLOW' | 'RED' };

interface TileBase {
  title: string;
  /** Columns of the 48-column mosaic; tiles of a row without a width share the rest equally. */
  width?: number;
}

export interface ChartTile extends TileBase {
  kind: 'chart';
  series: SeriesSpec[];
  thresholds?: ThresholdSpec[];
  /** Y-axis label (the unit as people read it). */
  yLabel?: string;
}

export interface TableTile extends TileBase {
  kind: 'table';
  series: SeriesSpec;
}

export interface TextTile extends TileBase {
  kind: 'text';
  markdown: (env: EnvironmentConfig) => string;
}

/** The alert policies' open incidents. Never names policies: they link to the dashboards (a Terraform cycle). */
export interface IncidentsTile extends TileBase {
  kind: 'incidents';
}

export type TileSpec = ChartTile | TableTile | TextTile | IncidentsTile;

export interface RowSpec {
  height: number;
  tiles: TileSpec[];
}

export interface DashboardSpec {
  id: DashboardId;
  title: string;
  /** One line for the header tile and the docs. */
  purpose: string;
  rows: RowSpec[];
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces

const CHART = 16;
const HEADER = 5;
const BY_SERVICE = ['resource.label.service_name'];
const LOGIN = 'metric.labels.route="/api/v1/auth/login"';
const REFRESH = 'metric.labels.route="/api/v1/auth/refresh"';
const GENERATE = 'metric.labels.route="/api/v1/content/generate"';

const q = (signal: SignalId, aligner: Aligner, rest: Omit<ChartQuery, 'signal' | 'aligner'> = {}): ChartQuery => ({ signal, aligner, ...rest });
const line = (query: SeriesSpec['query'], plot?: PlotType): SeriesSpec => ({ query, plot });
/** Events a minute summed over the service (log-based counters and request counts). */
const perMinute = (signal: SignalId, rest: Omit<ChartQuery, 'signal' | 'aligner'> = {}): ChartQuery =>
  q(signal, 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: BY_SERVICE, alignmentSeconds: 60, ...rest });
const percentiles = (signal: SignalId, how: 'pooled' | 'per-series', rest: Omit<ChartQuery, 'signal' | 'aligner'> = {}): SeriesSpec[] =>
  (['50', '95', '99'] as const).map((p) =>
    how === 'pooled'
      ? line(q(signal, 'ALIGN_DELTA', { reducer: `REDUCE_PERCENTILE_${p}`, groupBy: BY_SERVICE, ...rest }))
      : line(q(signal, `ALIGN_PERCENTILE_${p}`, { reducer: 'REDUCE_MAX', groupBy: BY_SERVICE, ...rest })),
  );

/** The share of API requests that `where` selects, per service (the ratio the share and SLO alerts evaluate). */
const shareOfRequests = (where: string): SeriesSpec =>
  line({
    ratio: {
      numerator: q('api_requests', 'ALIGN_DELTA', { where, reducer: 'REDUCE_SUM', groupBy: BY_SERVICE }),
      denominator: q('api_requests', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: BY_SERVICE }),
    },
  });

/** The low-traffic guard of a share alert: requests in the alert's window, with the guard as a line. */
function guardChart(alert: AlertId, width?: number): ChartTile {
  return {
    kind: 'chart',
    title: 'API requests per alert window (low-traffic guard)',
    width,
    series: [line(q('api_requests', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: BY_SERVICE }))],
    thresholds: [{ alert, condition: 1, label: 'share alerts need more than this (uptime probes included)' }],
    yLabel: 'requests',
  };
}

function header(purpose: string, alertsHere: string): TextTile {
  return {
    kind: 'text',
    title: 'About this dashboard',
    markdown: (env) =>
      `**${purpose}** Environment **${env.name}**, project \`${env.projectId}\`. ` +
      `${alertsHere} Dashed lines are alert thresholds (red: CRITICAL, yellow: WARNING) and move with the environment's overrides.`,
  };
}

const workerHealth: ChartTile = {
  kind: 'chart',
  title: 'Push worker /health: failing checker locations',
  series: [line(q('worker_uptime_passed', 'ALIGN_NEXT_OLDER', { reducer: 'REDUCE_COUNT_FALSE', groupBy: BY_SERVICE }))],
  thresholds: [{ alert: 'pushWorkerDown' }],
  yLabel: 'locations',
};

const lockoutsPerWindow: ChartTile = {
  kind: 'chart',
  title: 'Account lockouts per alert window',
  series: [line(q('lockouts', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: BY_SERVICE }), 'STACKED_BAR')],
  thresholds: [{ alert: 'bruteForceAttack', condition: 0 }],
  yLabel: 'lockouts',
};

/** The client IPs with the most failed logins (401) or rate-limited auth requests (429). */
const topClientIps = (count: number, where: string, alignmentSeconds?: number): SeriesSpec => ({
  query: q('auth_rejections_by_ip', 'ALIGN_DELTA', { where, reducer: 'REDUCE_SUM', groupBy: ['metric.label.client_ip'], alignmentSeconds }),
  top: { count, method: 'METHOD_MAX' },
});

// ---------------------------------------------------------------------------------------------------------------
// The five dashboards

export const dashboards: DashboardSpec[] = [
  {
    id: 'system-overview',
    title: 'System Overview',
    purpose: 'Is the API up, fast and error-free, and does it have the capacity it needs?',
    rows: [
      {
        height: HEADER,
        tiles: [
          header(
            'Is the API up, fast and error-free, and does it have the capacity it needs?',
            'Alerts: Service Down, High Error Rate, Performance Degradation, Database Connection Issues.',
          ),
        ],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'Request rate by status class',
            series: [
              line(
                q('api_requests', 'ALIGN_RATE', { reducer: 'REDUCE_SUM', groupBy: ['metric.label.response_code_class'], alignmentSeconds: 60 }),
                'STACKED_AREA',
              ),
            ],
            yLabel: 'requests/s',
          },
          {
            kind: 'chart',
            title: '5xx share of requests',
            series: [shareOfRequests(SELECT.serverErrors)],
            thresholds: [{ alert: 'highErrorRate', condition: 0 }],
            yLabel: 'share (0..1)',
          },
          guardChart('highErrorRate'),
        ],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'Latency p50 / p95 / p99 (without the streaming endpoint)',
            series: percentiles('api_latency', 'pooled'),
            thresholds: [{ alert: 'performanceDegradation' }],
            yLabel: 'seconds',
          },
          { kind: 'incidents', title: 'Alert policies: open incidents' },
        ],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'API instances by state',
            series: [line(q('api_instances', 'ALIGN_MAX', { reducer: 'REDUCE_SUM', groupBy: ['metric.label.state'], alignmentSeconds: 60 }), 'STACKED_AREA')],
            yLabel: 'instances',
          },
          {
            kind: 'chart',
            title: 'Push worker instances by state',
            series: [
              line(q('worker_instances', 'ALIGN_MAX', { reducer: 'REDUCE_SUM', groupBy: ['metric.label.state'], alignmentSeconds: 60 }), 'STACKED_AREA'),
            ],
            yLabel: 'instances',
          },
          {
            kind: 'chart',
            title: 'API /health: failing checker locations',
            series: [line(q('uptime_passed', 'ALIGN_NEXT_OLDER', { reducer: 'REDUCE_COUNT_FALSE', groupBy: ['resource.label.host'] }))],
            thresholds: [{ alert: 'serviceDown' }],
            yLabel: 'locations',
          },
        ],
      },
      {
        height: CHART,
        tiles: (['api', 'worker'] as const).flatMap((who) =>
          (['cpu', 'memory'] as const).map((res): ChartTile => ({
            kind: 'chart',
            title: `${who === 'api' ? 'API' : 'Push worker'} ${res === 'cpu' ? 'CPU' : 'memory'} utilization p50 / p95 / p99`,
            series: percentiles(`${who}_${res}`, 'per-series', { alignmentSeconds: 60 }),
            yLabel: 'utilization (0..1)',
          })),
        ),
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'Cloud SQL connections against capacity',
            series: [line(q('db_connections', 'ALIGN_MAX', { reducer: 'REDUCE_SUM', groupBy: ['resource.label.database_id'] }))],
            thresholds: [
              { alert: 'databaseConnectionIssues', condition: 0 },
              { label: 'max_connections', value: (env) => env.cloudSql.maxConnections, color: 'RED' },
            ],
            yLabel: 'connections',
          },
          {
            kind: 'chart',
            title: 'Connection pool exhausted / refused (app log)',
            series: [line(q('db_connection_errors', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: BY_SERVICE }), 'STACKED_BAR')],
            thresholds: [{ alert: 'databaseConnectionIssues', condition: 1, label: 'any error alerts' }],
            yLabel: 'errors',
          },
        ],
      },
    ],
  },
  {
    id: 'authentication',
    title: 'Authentication',
    purpose: 'Are people logging in, and is anyone guessing passwords or replaying tokens?',
    rows: [
      {
        height: HEADER,
        tiles: [
          header('Are people logging in, and is anyone guessing passwords or replaying tokens?', 'Alerts: Brute Force Attack, Authentication Failures Spike.'),
        ],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'Logins by status (successes and failures)',
            series: [line(perMinute('tracked_route_requests', { where: LOGIN, groupBy: ['metric.label.status'] }), 'STACKED_BAR')],
            yLabel: 'logins/min',
          },
          {
            kind: 'chart',
            title: 'Failed logins (401/403) per alert window',
            series: [line(q('tracked_route_requests', 'ALIGN_DELTA', { where: SELECT.failedLogins, reducer: 'REDUCE_SUM', groupBy: BY_SERVICE }))],
            thresholds: [{ alert: 'authenticationFailuresSpike' }],
            yLabel: 'failed logins',
          },
        ],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'Login failures by reason',
            series: [line(perMinute('login_failure_reasons', { groupBy: ['metric.label.reason'] }), 'STACKED_BAR')],
            yLabel: 'failures/min',
          },
          lockoutsPerWindow,
          {
            kind: 'chart',
            title: 'Failed logins per client IP (top 10)',
            series: [topClientIps(10, SELECT.failedLoginsByIp)],
            thresholds: [{ alert: 'bruteForceAttack', condition: 1, label: 'one IP' }],
            yLabel: 'failed logins',
          },
        ],
      },
      {
        height: CHART,
        tiles: [
          { kind: 'chart', title: 'Login attempts while locked', series: [line(perMinute('locked_login_attempts'), 'STACKED_BAR')], yLabel: 'attempts/min' },
          {
            kind: 'chart',
            title: 'Token refreshes by status',
            series: [line(perMinute('tracked_route_requests', { where: REFRESH, groupBy: ['metric.label.status'] }), 'STACKED_BAR')],
            yLabel: 'refreshes/min',
          },
          { kind: 'chart', title: 'Refresh-token replays', series: [line(perMinute('token_replays'), 'STACKED_BAR')], yLabel: 'replays/min' },
        ],
      },
      {
        height: 6,
        tiles: [
          {
            kind: 'text',
            title: 'Sessions: no source yet',
            markdown: () =>
              'Session duration (`custom.googleapis.com/vividly/auth_session_duration_seconds`) and active sessions ' +
              '(`custom.googleapis.com/vividly/auth_active_sessions`) are not charted: no code path of the app writes them ' +
              'and it logs no session end, so a chart would only ever say "No data". Their metric descriptors (GAUGE) are ' +
              'the contract; once the app writes them, chart them with `ALIGN_MEAN` (valid for a GAUGE).',
          },
        ],
      },
    ],
  },
  {
    id: 'rate-limiting',
    title: 'Rate Limiting',
    purpose: 'How much traffic does the limiter turn away, where, and from whom?',
    rows: [
      {
        height: HEADER,
        tiles: [header('How much traffic does the limiter turn away, where, and from whom?', 'Alerts: DDoS Attempt, Elevated Rate Limiting.')],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: '429 responses per alert window',
            series: [line(q('api_requests', 'ALIGN_DELTA', { where: SELECT.rateLimited, reducer: 'REDUCE_SUM', groupBy: BY_SERVICE }))],
            thresholds: [{ alert: 'ddosAttempt' }],
            yLabel: 'requests',
          },
          {
            kind: 'chart',
            title: 'Limiter share of traffic (429 share)',
            series: [shareOfRequests(SELECT.rateLimited)],
            thresholds: [{ alert: 'elevatedRateLimiting', condition: 0 }],
            yLabel: 'share (0..1)',
          },
        ],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: '429 responses by endpoint',
            series: [line(perMinute('tracked_route_requests', { where: SELECT.rateLimitedRoutes, groupBy: ['metric.label.route'] }), 'STACKED_BAR')],
            yLabel: 'requests/min',
          },
          {
            kind: 'chart',
            title: 'Rate-limit rejections (app log)',
            series: [line(perMinute('rate_limit_rejections'), 'STACKED_BAR')],
            yLabel: 'rejections/min',
          },
          lockoutsPerWindow,
        ],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'table',
            title: 'Most rate-limited client IPs (429s on login, register, logout; top 10, per hour)',
            series: topClientIps(10, SELECT.rateLimitedRoutes, 3600),
          },
          guardChart('elevatedRateLimiting'),
        ],
      },
    ],
  },
  {
    id: 'content-generation',
    title: 'Content Generation',
    purpose: 'Are generation requests accepted, processed and completed, and is the queue draining?',
    rows: [
      { height: HEADER, tiles: [header('Are generation requests accepted, processed and completed, and is the queue draining?', 'Alert: Push Worker Down.')] },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'Generate requests at the API by status',
            series: [line(perMinute('tracked_route_requests', { where: GENERATE, groupBy: ['metric.label.status'] }), 'STACKED_BAR')],
            yLabel: 'requests/min',
          },
          {
            kind: 'chart',
            title: 'Generations completed by source',
            series: [line(perMinute('generation_completed', { groupBy: ['metric.label.source'] }), 'STACKED_BAR')],
            yLabel: 'completed/min',
          },
          {
            kind: 'chart',
            // Failures are counted once per failed request from the request service's set_error line, by stage.
            title: 'Generations failed by stage, and retried (worker log)',
            series: [line(perMinute('generation_failures', { groupBy: ['metric.label.stage'] })), line(perMinute('generation_retries'))],
            yLabel: 'events/min',
          },
        ],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'Generation duration (heatmap)',
            series: [line(q('generation_duration', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: BY_SERVICE, alignmentSeconds: 300 }), 'HEATMAP')],
            yLabel: 'seconds',
          },
          {
            kind: 'chart',
            title: 'Generation duration p50 / p95 / p99',
            series: percentiles('generation_duration', 'pooled', { alignmentSeconds: 300 }),
            yLabel: 'seconds',
          },
        ],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'Pub/Sub backlog',
            series: [line(q('pubsub_backlog', 'ALIGN_MAX', { reducer: 'REDUCE_SUM', groupBy: ['resource.label.subscription_id'], alignmentSeconds: 60 }))],
            yLabel: 'messages',
          },
          {
            kind: 'chart',
            title: 'Oldest unacked message age',
            series: [
              line(q('pubsub_oldest_unacked', 'ALIGN_MAX', { reducer: 'REDUCE_MAX', groupBy: ['resource.label.subscription_id'], alignmentSeconds: 60 })),
            ],
            yLabel: 'seconds',
          },
          {
            kind: 'chart',
            title: 'Dead-lettered messages',
            series: [
              line(
                q('pubsub_dead_letters', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: ['resource.label.subscription_id'], alignmentSeconds: 60 }),
                'STACKED_BAR',
              ),
            ],
            yLabel: 'messages/min',
          },
          {
            kind: 'chart',
            title: 'Push worker 5xx (Pub/Sub will redeliver)',
            series: [line(perMinute('worker_requests', { where: 'metric.labels.response_code_class="5xx"' }), 'STACKED_BAR')],
            yLabel: 'responses/min',
          },
        ],
      },
      {
        height: CHART,
        tiles: [
          workerHealth,
          {
            kind: 'chart',
            title: 'Push worker instances by state',
            series: [
              line(q('worker_instances', 'ALIGN_MAX', { reducer: 'REDUCE_SUM', groupBy: ['metric.label.state'], alignmentSeconds: 60 }), 'STACKED_AREA'),
            ],
            yLabel: 'instances',
          },
        ],
      },
    ],
  },
  {
    id: 'monitoring-cost',
    title: 'Monitoring Cost',
    purpose: 'What does the monitoring itself ingest, and what drives the bill?',
    rows: [
      { height: HEADER, tiles: [header('What does the monitoring itself ingest, and what drives the bill?', 'No alerts: read with `npm run cost`.')] },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'Log bytes ingested by log (per hour)',
            series: [line(q('log_bytes', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: ['metric.label.log'], alignmentSeconds: 3600 }), 'STACKED_BAR')],
            yLabel: 'bytes/hour',
          },
          {
            kind: 'chart',
            title: 'Metric bytes ingested by domain (per hour)',
            series: [
              line(q('metric_bytes', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: ['metric.label.metric_domain'], alignmentSeconds: 3600 }), 'STACKED_BAR'),
            ],
            yLabel: 'bytes/hour',
          },
        ],
      },
      {
        height: CHART,
        tiles: [
          {
            kind: 'chart',
            title: 'Metric samples ingested by domain (per hour)',
            series: [
              line(
                q('metric_samples', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: ['metric.label.metric_domain'], alignmentSeconds: 3600 }),
                'STACKED_BAR',
              ),
            ],
            yLabel: 'samples/hour',
          },
          {
            kind: 'chart',
            title: 'Log-based metric volume by metric (per hour)',
            series: [
              line(
                q('metric_bytes', 'ALIGN_DELTA', {
                  where: 'metric.labels.metric_type=starts_with("logging.googleapis.com/user/")',
                  reducer: 'REDUCE_SUM',
                  groupBy: ['metric.label.metric_type'],
                  alignmentSeconds: 3600,
                }),
                'STACKED_BAR',
              ),
            ],
            yLabel: 'bytes/hour',
          },
          {
            kind: 'chart',
            title: 'Uptime check executions by checker location (per hour)',
            series: [
              line(
                q('uptime_passed', 'ALIGN_COUNT', { reducer: 'REDUCE_SUM', groupBy: ['metric.label.checker_location'], alignmentSeconds: 3600 }),
                'STACKED_BAR',
              ),
              line(
                q('worker_uptime_passed', 'ALIGN_COUNT', { reducer: 'REDUCE_SUM', groupBy: ['metric.label.checker_location'], alignmentSeconds: 3600 }),
                'STACKED_BAR',
              ),
            ],
            yLabel: 'executions/hour',
          },
        ],
      },
    ],
  },
];

// The SLO burn-rate alerts (catalog/slos.ts) link to this dashboard. A burn rate b of an SLO with goal g is an error
// ratio of b x (1 - g): each availability window is drawn as the 5xx share over the window's long lookback with
// that ratio as its line. The latency SLI (share of requests slower than the threshold) has no filter-and-aggregate
// form, so its tiles show the distribution against the latency threshold instead.
const availabilityWindow = (w: (typeof BURN_RATE_WINDOWS)[number]): ChartTile => ({
  kind: 'chart',
  title: `Availability: 5xx share over ${humanWindow(w.longSeconds)} (${w.id} burn: ${+(w.budgetShare * 100).toFixed(2)} % of the budget)`,
  series: [shareOfRequests(SELECT.serverErrors)],
  thresholds: [{ alert: `slo_availability_${w.id}_burn`, condition: 0, label: `${w.action} threshold` }],
  yLabel: 'share (0..1)',
});

const latencyThreshold: ThresholdSpec = { label: 'latency SLO threshold (s)', value: (env) => sloSettings(env).latencyThresholdSeconds, color: 'YELLOW' };

dashboards.push({
  id: 'error-budget',
  title: 'Error Budget',
  purpose: 'How fast are the API SLOs spending their error budget?',
  rows: [
    {
      height: HEADER + 2,
      tiles: [
        {
          kind: 'text',
          title: 'About this dashboard',
          markdown: (env) =>
            `**How fast are the API SLOs spending their error budget?** Environment **${env.name}**, project \`${env.projectId}\`. ` +
            `SLOs: ${SLOS.map((slo) => `*${slo.title}*: ${slo.describe(sloSettings(env))}`).join('; ')}. ` +
            'A burn rate b is an error ratio of b x (1 - goal): the dashed lines are the burn-rate alerts drawn on the 5xx share over their long windows ' +
            '(each alert also needs its short window, 1/12 of the long one, above the same rate). ' +
            `Each window may spend a share of the ${sloSettings(env).rollingDays}-day budget: ` +
            `${BURN_RATE_WINDOWS.map((w) => `${+(w.budgetShare * 100).toFixed(2)} % in ${humanWindow(w.longSeconds)} (${w.action}, ${burnRateThreshold(w, sloSettings(env))}x)`).join(', ')}; ` +
            'Cloud Monitoring alerts cannot look back more than 24 h.',
        },
      ],
    },
    {
      height: CHART,
      tiles: [
        {
          kind: 'chart',
          title: 'Error budget remaining',
          series: SLOS.map((slo) => line({ slo: { selector: 'select_slo_budget_fraction', sloId: slo.id } })),
          thresholds: [{ label: 'budget spent', value: () => 0, color: 'RED' }],
          yLabel: 'fraction of the budget left',
        },
        ...SLOS.map((slo): TileSpec => ({
          kind: 'chart',
          title: `${slo.title} burn rate over each alert's long window`,
          series: BURN_RATE_WINDOWS.map((w) => line({ slo: { selector: 'select_slo_burn_rate', sloId: slo.id, lookbackSeconds: w.longSeconds } })),
          thresholds: BURN_RATE_WINDOWS.map((w) => ({
            label: `${w.action} (${humanWindow(w.longSeconds)} window)`,
            value: (env: EnvironmentConfig) => burnRateThreshold(w, sloSettings(env)),
            color: w.action === 'page' ? 'RED' : 'YELLOW',
          })),
          yLabel: 'burn rate (1 = on budget)',
        })),
      ],
    },
    { height: CHART, tiles: BURN_RATE_WINDOWS.map(availabilityWindow) },
    {
      height: CHART,
      tiles: [
        {
          kind: 'chart',
          title: 'Latency distribution against the SLO threshold',
          series: [line(q('api_latency', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: BY_SERVICE, alignmentSeconds: 300 }), 'HEATMAP')],
          thresholds: [latencyThreshold],
          yLabel: 'seconds',
        },
        {
          kind: 'chart',
          title: 'Latency p50 / p95 / p99 against the SLO threshold',
          series: percentiles('api_latency', 'pooled', { alignmentSeconds: 300 }),
          thresholds: [latencyThreshold],
          yLabel: 'seconds',
        },
        {
          kind: 'chart',
          title: 'API requests per 5 min (fast-burn low-traffic guard)',
          series: [line(q('api_requests', 'ALIGN_DELTA', { reducer: 'REDUCE_SUM', groupBy: BY_SERVICE }))],
          thresholds: [{ alert: 'slo_availability_fast_burn', condition: 2, label: 'burn alerts need more than this (uptime probes included)' }],
          yLabel: 'requests',
        },
      ],
    },
  ],
});

/** Every tile of a dashboard, row by row. */
export const tilesOf = (spec: DashboardSpec): TileSpec[] => spec.rows.flatMap((r) => r.tiles);

/** The plain queries a series reads (a ratio reads two). */
export function queriesOf(series: SeriesSpec): ChartQuery[] {
  if ('slo' in series.query) return [];
  return 'ratio' in series.query ? [series.query.ratio.numerator, series.query.ratio.denominator] : [series.query];
}

/** Every series of a tile (charts and tables). */
export function seriesOf(tile: TileSpec): SeriesSpec[] {
  return tile.kind === 'chart' ? tile.series : tile.kind === 'table' ? [tile.series] : [];
}
