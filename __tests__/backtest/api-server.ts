/**
 * A loopback HTTP server that speaks the REST surface of Cloud Monitoring v3 and Cloud Logging v2 as far as the
 * backtest calls it, for the REAL client libraries in REST-fallback mode (`fallback: 'rest'`, `protocol: 'http'`).
 * It serves recorded data in the REST API's JSON format (RFC 3339 times, int64 as strings, points newest first,
 * `nextPageToken`), answers filters with the project's own evaluators (Monitoring filter → gcp/simulate/filter,
 * Logging query → tools/logging-query), and injects faults: 429 RESOURCE_EXHAUSTED on chosen pages, 403
 * PERMISSION_DENIED on chosen methods. The error bodies are Google's JSON error format
 * (https://cloud.google.com/apis/design/errors#http_mapping).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { matches, parseFilter } from '../../gcp/logging-query/filter';
import { matchesFilter, parseMonitoringFilter } from '../../gcp/simulate/filter';

export type Json = Record<string, any>;

export interface ApiData {
  /** google.monitoring.v3.TimeSeries in REST JSON, points newest first. */
  timeSeries: Json[];
  /** google.logging.v2.LogEntry in REST JSON. */
  entries: Json[];
  logMetrics: Json[];
  alertPolicies: Json[];
  uptimeCheckConfigs?: Json[];
  /** Series per listTimeSeries page (default 3), entries per listLogEntries page (default the request's pageSize). */
  seriesPageSize?: number;
  entriesPageSize?: number;
}

export type Method = 'timeSeries' | 'entries' | 'logMetrics' | 'alertPolicies' | 'uptimeCheckConfigs';

export interface Faults {
  /** `${method}:${pageIndex}` → how many times that page answers 429 before it succeeds (Infinity: always). */
  quota?: Map<string, number>;
  /** Methods that answer 403. */
  forbidden?: Set<Method>;
}

export interface ApiServer {
  port: number;
  /** Every request: method, page index, HTTP status. */
  log: { method: Method; page: number; status: number; query: string }[];
  faults: Faults;
  close(): Promise<void>;
}

const ERRORS = {
  429: {
    status: 'RESOURCE_EXHAUSTED',
    message: "Quota exceeded for quota metric 'Time series queries' and limit 'Time series queries per minute' of service 'monitoring.googleapis.com'.",
  },
  403: { status: 'PERMISSION_DENIED', message: 'Permission denied (or the resource may not exist).' },
  400: { status: 'INVALID_ARGUMENT', message: 'Invalid request.' },
} as const;

function send(res: http.ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function sendRaw(res: http.ServerResponse, status: number, json: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(json);
}

/**
 * A recorded series, serialized once: its points' end times (ms) and a writer of the series with some of its points,
 * each point stringified the first time it is served (a week is served over many pages and overlapping queries). The
 * recorded data must not change once served.
 */
interface RecordedSeries {
  times: number[];
  json(indices: number[]): string;
}
const recordedSeries = new WeakMap<Json, RecordedSeries>();
function recorded(s: Json): RecordedSeries {
  let r = recordedSeries.get(s);
  if (r) return r;
  const points = (s.points ?? []) as Json[];
  const text: string[] = new Array(points.length);
  const placeholder = '\u0000points';
  const [head, tail] = JSON.stringify({ ...s, points: placeholder }).split(JSON.stringify(placeholder));
  r = {
    times: points.map((p) => Date.parse(p.interval.endTime)),
    json: (indices) => `${head}[${indices.map((i) => (text[i] ??= JSON.stringify(points[i]))).join(',')}]${tail}`,
  };
  recordedSeries.set(s, r);
  return r;
}

function sendError(res: http.ServerResponse, status: 400 | 403 | 429, detail?: string): void {
  const e = ERRORS[status];
  send(res, status, { error: { code: status, message: detail ? `${e.message} ${detail}` : e.message, status: e.status } });
}

const tokenFor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64');
const offsetOf = (token: string | undefined) => (token ? Number(/^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString())?.[1] ?? NaN) : 0);

export async function startApiServer(data: ApiData, faults: Faults = {}): Promise<ApiServer> {
  const log: ApiServer['log'] = [];
  const state: ApiServer = { port: 0, log, faults, close: async () => undefined };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let method: Method | undefined;
    if (req.method === 'GET' && /^\/v3\/projects\/[^/]+\/timeSeries$/.test(url.pathname)) method = 'timeSeries';
    else if (req.method === 'POST' && url.pathname === '/v2/entries:list') method = 'entries';
    else if (req.method === 'GET' && /^\/v2\/projects\/[^/]+\/metrics$/.test(url.pathname)) method = 'logMetrics';
    else if (req.method === 'GET' && /^\/v3\/projects\/[^/]+\/alertPolicies$/.test(url.pathname)) method = 'alertPolicies';
    else if (req.method === 'GET' && /^\/v3\/projects\/[^/]+\/uptimeCheckConfigs$/.test(url.pathname)) method = 'uptimeCheckConfigs';
    if (!method) {
      sendError(res, 400, `no route ${req.method} ${url.pathname}`);
      return;
    }
    if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ''))) {
      send(res, 401, { error: { code: 401, message: 'missing credentials', status: 'UNAUTHENTICATED' } });
      return;
    }
    const json: Json = body ? JSON.parse(body) : {};
    const token = method === 'entries' ? json.pageToken : (url.searchParams.get('pageToken') ?? undefined);
    const offset = offsetOf(token);
    if (Number.isNaN(offset)) {
      sendError(res, 400, 'bad page token');
      return;
    }
    const query = method === 'entries' ? String(json.filter ?? '') : String(url.searchParams.get('filter') ?? '');
    const page =
      method === 'entries' ? Math.floor(offset / (data.entriesPageSize ?? Number(json.pageSize ?? 1000))) : Math.floor(offset / (data.seriesPageSize ?? 3));
    const record = (status: number) => log.push({ method: method!, page, status, query });
    if (faults.forbidden?.has(method)) {
      record(403);
      sendError(res, 403);
      return;
    }
    const key = `${method}:${page}`;
    const left = faults.quota?.get(key) ?? 0;
    if (left > 0) {
      faults.quota!.set(key, left - 1);
      record(429);
      sendError(res, 429);
      return;
    }

    if (method === 'timeSeries') {
      const node = parseMonitoringFilter(query);
      const start = Date.parse(url.searchParams.get('interval.startTime') ?? '');
      const end = Date.parse(url.searchParams.get('interval.endTime') ?? '');
      if (Number.isNaN(end)) {
        record(400);
        sendError(res, 400, 'interval.endTime is required');
        return;
      }
      const inRange = (t: number) => t > start && t <= end;
      const selected = data.timeSeries
        .filter((s) =>
          matchesFilter(node, {
            metric: { type: s.metric.type, labels: s.metric.labels ?? {} },
            resource: { type: s.resource.type, labels: s.resource.labels ?? {} },
          }),
        )
        .map(recorded)
        .filter((r) => r.times.some(inRange));
      const size = data.seriesPageSize ?? 3;
      const slice = selected.slice(offset, offset + size);
      const next = offset + size < selected.length ? tokenFor(offset + size) : undefined;
      record(200);
      // The page as JSON.stringify would write it: each series with the points of the interval, in recorded order.
      const series = slice.map((r) => {
        const indices: number[] = [];
        for (let i = 0; i < r.times.length; i++) if (inRange(r.times[i])) indices.push(i);
        return r.json(indices);
      });
      sendRaw(res, 200, `{"timeSeries":[${series.join(',')}]${next ? `,"nextPageToken":${JSON.stringify(next)}` : ''}}`);
      return;
    }
    if (method === 'entries') {
      const f = parseFilter(query, { name: 'filter' });
      const all = data.entries.filter((e) => matches(f, e as never));
      all.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
      const size = data.entriesPageSize ?? Number(json.pageSize ?? 1000);
      const slice = all.slice(offset, offset + size);
      const next = offset + size < all.length ? tokenFor(offset + size) : undefined;
      record(200);
      send(res, 200, { entries: slice, ...(next ? { nextPageToken: next } : {}) });
      return;
    }
    record(200);
    send(
      res,
      200,
      method === 'logMetrics'
        ? { metrics: data.logMetrics }
        : method === 'uptimeCheckConfigs'
          ? { uptimeCheckConfigs: data.uptimeCheckConfigs ?? [] }
          : { alertPolicies: data.alertPolicies },
    );
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      handle(req, res, body).catch((e) => {
        sendError(res, 400, (e as Error).message);
      });
    });
  });
  // Long keep-alive: a slow test machine must not see the server close a socket the client is about to reuse.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return state;
}

/**
 * An auth client that hands out a fixed token, so the client libraries never look for Application Default
 * Credentials: `getRequestHeaders` for google-gax 4 (logging), `fetch` for google-gax 5 (monitoring).
 */
export function fixedTokenAuth(): Json {
  const headers = { authorization: 'Bearer test-token' };
  return {
    getRequestHeaders: async () => (typeof Headers !== 'undefined' ? Object.assign(new Headers(headers), headers) : headers),
    fetch: (url: string, init: Json = {}) =>
      fetch(url, { ...init, headers: { ...(init.headers instanceof Headers ? Object.fromEntries(init.headers) : (init.headers ?? {})), ...headers } }),
    request: async () => {
      throw new Error('not used');
    },
    getAccessToken: async () => ({ token: 'test-token' }),
    universeDomain: 'googleapis.com',
  };
}

/** Client options pointing the real libraries at the loopback server over the REST fallback. */
export function clientOptions(port: number): Json {
  return { apiEndpoint: '127.0.0.1', port, protocol: 'http', fallback: 'rest', authClient: fixedTokenAuth(), projectId: 'vividly-prod' };
}
