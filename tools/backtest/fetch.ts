/**
 * Reading history through the real Google client libraries, page by page, with a disk cache.
 *
 * - Time series: `@google-cloud/monitoring` MetricServiceClient.listTimeSeries, `view: FULL`, no aggregation (the raw
 *   points: the simulator aligns them itself with the policy's sliding windows, the finest alignment any policy needs).
 * - Log entries: `@google-cloud/logging` v2 LoggingServiceV2Client.listLogEntries, oldest first.
 * - Log-based metric definitions: MetricsServiceV2Client.listLogMetrics (createTime/updateTime tell whether the
 *   metric's own series covers the period).
 * - Deployed alert policies: AlertPolicyServiceClient.listAlertPolicies.
 *
 * Pages are requested one at a time (`autoPaginate: false`) and each is written to the cache before the next is asked
 * for, so a quota stop loses nothing: the rerun resumes at the stored `nextPageToken`. RESOURCE_EXHAUSTED (gRPC 8,
 * HTTP 429) and UNAVAILABLE (14, 503) are retried with exponential backoff; PERMISSION_DENIED (7, HTTP 403) becomes one
 * line naming the role that grants the call.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { intervalToJson, protoToJson, timeMs } from './convert';

/** One line for the user; the CLI prints it without a stack and exits non-zero. */
export class BacktestError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'BacktestError';
  }
}

/** A query stopped before its last page (quota retries exhausted). Its pages so far are cached. */
export class PartialDataError extends Error {
  constructor(
    message: string,
    readonly pagesCached = 0,
  ) {
    super(message);
    this.name = 'PartialDataError';
  }
}

export const ROLES = {
  monitoring: 'roles/monitoring.viewer',
  logging: 'roles/logging.viewer',
} as const;

/** Default caps on one run's pull (documented in the README); `--allow-large` lifts them. */
export const DEFAULT_CAPS = { points: 5_000_000, logEntries: 2_000_000, days: 31 };

export interface Clients {
  metric: { listTimeSeries(req: object, opts: object): Promise<unknown[]> };
  alert: { listAlertPolicies(req: object, opts: object): Promise<unknown[]> };
  logging: { listLogEntries(req: object, opts: object): Promise<unknown[]> };
  logMetrics: { listLogMetrics(req: object, opts: object): Promise<unknown[]> };
  uptime?: { listUptimeCheckConfigs(req: object, opts: object): Promise<unknown[]> };
}

export interface FetchOptions {
  cacheDir: string;
  /** Lift the point and entry caps. */
  allowLarge?: boolean;
  caps?: Partial<typeof DEFAULT_CAPS>;
  /** Attempts per page on quota/unavailable errors before the query is reported partial (default 8: about 2 minutes, past a per-minute quota). */
  maxAttempts?: number;
  /** Backoff base in ms (default 1000: 1 s, 2 s, 4 s … with ±20 % jitter). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called after every page and retry (the CLI draws a progress line on a TTY). */
  onProgress?: (p: Progress) => void;
  /** Builds the clients the first time a query misses the cache (a fully cached run never creates one). */
  clients: () => Clients | Promise<Clients>;
}

export interface Progress {
  query: string;
  pages: number;
  points: number;
  entries: number;
  retrying?: string;
}

interface CacheState {
  query: unknown;
  pages: number;
  nextPageToken: string;
  complete: boolean;
}

/** Status code of a google-gax error (gRPC code; the REST fallback maps HTTP statuses onto them). */
function errorCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; status?: unknown };
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.status === 'number') return e.status === 429 ? 8 : e.status === 403 ? 7 : e.status === 503 ? 14 : undefined;
  return undefined;
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0];

export class Fetcher {
  private clientsCache?: Promise<Clients>;
  readonly stats = { points: 0, entries: 0, pagesFetched: 0, pagesFromCache: 0, retries: 0 };
  private readonly caps: typeof DEFAULT_CAPS;

  constructor(private readonly opts: FetchOptions) {
    this.caps = { ...DEFAULT_CAPS, ...(opts.caps ?? {}) };
  }

  private clients(): Promise<Clients> {
    return (this.clientsCache ??= Promise.resolve().then(() => this.opts.clients()));
  }

  private sleep(ms: number): Promise<void> {
    return this.opts.sleep ? this.opts.sleep(ms) : new Promise((r) => setTimeout(r, ms));
  }

  /**
   * Every page of one query, from the cache where present, else from the API (each new page stored at once).
   * `call(token)` returns the page's items (already API JSON) and the next page token ('' at the end).
   */
  private async pages<T>(
    kind: string,
    query: object,
    service: keyof typeof ROLES,
    what: string,
    call: (token: string) => Promise<{ items: T[]; next: string }>,
    count: (items: T[]) => number,
    range?: { start: number; end: number },
  ): Promise<T[]> {
    const hash = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 24);
    // Key: the query (filter, project) and the range. A complete cached pull of the same query over a range that
    // covers this one answers too (a policy iteration that shortens a lookback stays offline).
    const prefix = `${kind}-${hash([kind, query])}`;
    let dir = path.join(this.opts.cacheDir, `${prefix}-${hash(range ?? null)}`);
    if (range && !fs.existsSync(path.join(dir, 'state.json')) && fs.existsSync(this.opts.cacheDir)) {
      for (const d of fs
        .readdirSync(this.opts.cacheDir)
        .filter((x) => x.startsWith(`${prefix}-`))
        .sort()) {
        const st = JSON.parse(fs.readFileSync(path.join(this.opts.cacheDir, d, 'state.json'), 'utf8')) as CacheState & {
          range?: { start: number; end: number };
        };
        if (st.complete && st.range && st.range.start <= range.start && st.range.end >= range.end) {
          dir = path.join(this.opts.cacheDir, d);
          break;
        }
      }
    }
    const stateFile = path.join(dir, 'state.json');
    let state: CacheState & { range?: { start: number; end: number } } = { query, ...(range ? { range } : {}), pages: 0, nextPageToken: '', complete: false };
    if (fs.existsSync(stateFile)) state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as CacheState;
    const out: T[] = [];
    const label = `${kind} ${what}`;
    for (let i = 0; i < state.pages; i++) {
      const items = JSON.parse(fs.readFileSync(path.join(dir, `page-${String(i).padStart(5, '0')}.json`), 'utf8')) as T[];
      this.add(kind, count(items), label);
      out.push(...items);
      this.stats.pagesFromCache++;
    }
    if (state.complete) return out;
    fs.mkdirSync(dir, { recursive: true });
    for (;;) {
      const page = await this.withRetry(
        service,
        what,
        label,
        () => call(state.nextPageToken),
        () => {
          fs.writeFileSync(stateFile, JSON.stringify(state));
          return `${state.pages} page(s) cached in ${dir}, rerun to resume`;
        },
      );
      fs.writeFileSync(path.join(dir, `page-${String(state.pages).padStart(5, '0')}.json`), JSON.stringify(page.items));
      state = { ...state, pages: state.pages + 1, nextPageToken: page.next, complete: !page.next };
      fs.writeFileSync(stateFile, JSON.stringify(state));
      this.stats.pagesFetched++;
      this.add(kind, count(page.items), label);
      out.push(...page.items);
      if (state.complete) return out;
    }
  }

  /** One API call with backoff on quota/unavailable errors and one-line permission errors. */
  private async withRetry<R>(service: keyof typeof ROLES, what: string, label: string, fn: () => Promise<R>, onGiveUp: () => string): Promise<R> {
    const maxAttempts = this.opts.maxAttempts ?? 8;
    const base = this.opts.backoffMs ?? 1000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof BacktestError) throw err;
        const code = errorCode(err);
        if (code === 7) {
          throw new BacktestError(
            `backtest: permission denied for ${what}: grant ${ROLES[service]} on the project to the Application Default Credentials' account (${firstLine(err)})`,
            1,
          );
        }
        if (code === 16 || /Could not load the default credentials/.test(firstLine(err)))
          throw new BacktestError(`backtest: not authenticated for ${what}: run \`gcloud auth application-default login\` (${firstLine(err)})`, 1);
        // A dropped connection (no status at all) is retried like UNAVAILABLE.
        const network =
          code === undefined &&
          /fetch failed|ECONNRESET|ECONNREFUSED|socket hang up|EPIPE|other side closed/i.test(
            `${firstLine(err)} ${String((err as { cause?: unknown })?.cause ?? '')}`,
          );
        if (code !== 8 && code !== 14 && !network) throw new BacktestError(`backtest: ${label} failed: ${firstLine(err)}`, 1);
        const why = code === 8 ? 'quota exhausted (RESOURCE_EXHAUSTED)' : network ? `connection failed (${firstLine(err)})` : 'service unavailable';
        if (attempt >= maxAttempts) throw new PartialDataError(`${label}: ${why} after ${attempt} attempts; ${onGiveUp()}`, 0);
        const wait = Math.round(base * 2 ** (attempt - 1) * (0.8 + 0.4 * Math.random()));
        this.stats.retries++;
        this.opts.onProgress?.({
          query: label,
          pages: this.stats.pagesFetched + this.stats.pagesFromCache,
          points: this.stats.points,
          entries: this.stats.entries,
          retrying: `${code === 8 ? 'quota' : network ? 'connection' : 'unavailable'}, retry ${attempt} in ${(wait / 1000).toFixed(1)} s`,
        });
        await this.sleep(wait);
      }
    }
  }

  private add(kind: string, n: number, label: string): void {
    if (kind === 'logs') this.stats.entries += n;
    else this.stats.points += n;
    this.opts.onProgress?.({
      query: label,
      pages: this.stats.pagesFetched + this.stats.pagesFromCache,
      points: this.stats.points,
      entries: this.stats.entries,
    });
    if (this.opts.allowLarge) return;
    if (this.stats.points > this.caps.points)
      throw new BacktestError(
        `backtest: the pull passed ${this.caps.points.toLocaleString('en-US')} points (cap for one run); narrow --from/--to or pass --allow-large`,
        2,
      );
    if (this.stats.entries > this.caps.logEntries)
      throw new BacktestError(
        `backtest: the pull passed ${this.caps.logEntries.toLocaleString('en-US')} log entries (cap for one run); narrow --from/--to or pass --allow-large`,
        2,
      );
  }

  /** Raw points of every series the filter selects whose points end in [startMs, endMs]. */
  listTimeSeries(project: string, filter: string, startMs: number, endMs: number): Promise<unknown[]> {
    const query = { project, filter };
    const range = { start: startMs, end: endMs };
    const inRange = (p: { interval?: { endTime?: string } }) => {
      const t = timeMs(p.interval?.endTime ?? '');
      return t >= startMs && t <= endMs;
    };
    return (
      this.pages(
        'series',
        query,
        'monitoring',
        `time series of projects/${project} (${filter})`,
        async (token) => {
          const [items, next, raw] = await (
            await this.clients()
          ).metric.listTimeSeries(
            {
              name: `projects/${project}`,
              filter,
              // The interval's start is exclusive for DELTA/CUMULATIVE (TimeInterval docs); one extra second keeps the
              // first point whose end time is the start itself.
              interval: { startTime: { seconds: Math.floor(startMs / 1000) - 1 }, endTime: { seconds: Math.ceil(endMs / 1000) } },
              view: 'FULL',
              ...(token ? { pageToken: token } : {}),
            },
            { autoPaginate: false },
          );
          return { items: (items as unknown[]).map((s) => protoToJsonKeepPoints(s)), next: nextToken(next, raw) };
        },
        (items) => items.reduce((a: number, s) => a + ((s as { points?: unknown[] }).points ?? []).length, 0),
        range,
      )
        // a covering cache entry may hold more than asked: keep the requested range only
        .then((items) =>
          items
            .map((s) => ({ ...(s as object), points: (((s as { points?: [] }).points ?? []) as { interval?: { endTime?: string } }[]).filter(inRange) }))
            .filter((s) => s.points.length > 0),
        )
    );
  }

  /** Log entries matching the filter with timestamps in [startMs, endMs), oldest first. */
  listLogEntries(project: string, filter: string, startMs: number, endMs: number): Promise<Record<string, unknown>[]> {
    const bounded = `(${filter}) AND timestamp >= "${new Date(startMs).toISOString()}" AND timestamp < "${new Date(endMs).toISOString()}"`;
    const query = { project, filter };
    return this.pages(
      'logs',
      query,
      'logging',
      `log entries of projects/${project}`,
      async (token) => {
        const [items, next, raw] = await (
          await this.clients()
        ).logging.listLogEntries(
          { resourceNames: [`projects/${project}`], filter: bounded, orderBy: 'timestamp asc', pageSize: 1000, ...(token ? { pageToken: token } : {}) },
          { autoPaginate: false },
        );
        return { items: (items as unknown[]).map((e) => (protoToJson(e) ?? {}) as Record<string, unknown>), next: nextToken(next, raw) };
      },
      (items) => items.length,
      { start: startMs, end: endMs },
    ).then((items) =>
      items.filter((e) => {
        const t = Date.parse(String(e.timestamp));
        return t >= startMs && t < endMs;
      }),
    );
  }

  /**
   * The project's log-based metrics as deployed. Cached like the data, keyed by `asOf` (the period), so a rerun over
   * the same period is offline and compares with the same snapshot.
   */
  listLogMetrics(project: string, asOf: string): Promise<Record<string, unknown>[]> {
    return this.pages(
      'logmetrics',
      { project, asOf },
      'logging',
      `log-based metrics of projects/${project}`,
      async (token) => {
        const [items, next, raw] = await (
          await this.clients()
        ).logMetrics.listLogMetrics({ parent: `projects/${project}`, ...(token ? { pageToken: token } : {}) }, { autoPaginate: false });
        return { items: (items as unknown[]).map((x) => (protoToJson(x) ?? {}) as Record<string, unknown>), next: nextToken(next, raw) };
      },
      () => 0,
    );
  }

  /** The project's uptime checks as deployed (their API-assigned ids; cached as listLogMetrics is). */
  listUptimeChecks(project: string, asOf: string): Promise<Record<string, unknown>[]> {
    return this.pages(
      'uptime',
      { project, asOf },
      'monitoring',
      `uptime checks of projects/${project}`,
      async (token) => {
        const client = (await this.clients()).uptime;
        if (!client) return { items: [], next: '' };
        const [items, next, raw] = await client.listUptimeCheckConfigs(
          { parent: `projects/${project}`, ...(token ? { pageToken: token } : {}) },
          { autoPaginate: false },
        );
        return { items: (items as unknown[]).map((x) => (protoToJson(x) ?? {}) as Record<string, unknown>), next: nextToken(next, raw) };
      },
      () => 0,
    );
  }

  /** The project's alert policies as deployed (cached as listLogMetrics is). */
  listAlertPolicies(project: string, asOf: string): Promise<Record<string, unknown>[]> {
    return this.pages(
      'policies',
      { project, asOf },
      'monitoring',
      `alert policies of projects/${project}`,
      async (token) => {
        const [items, next, raw] = await (
          await this.clients()
        ).alert.listAlertPolicies({ name: `projects/${project}`, ...(token ? { pageToken: token } : {}) }, { autoPaginate: false });
        return { items: (items as unknown[]).map((x) => (protoToJson(x) ?? {}) as Record<string, unknown>), next: nextToken(next, raw) };
      },
      () => 0,
    );
  }
}

/** With `autoPaginate: false` gax returns [items, nextRequest | null, rawResponse]. */
function nextToken(next: unknown, raw: unknown): string {
  const fromNext = (next as { pageToken?: string } | null)?.pageToken;
  if (fromNext) return fromNext;
  return ((raw as { nextPageToken?: string } | null)?.nextPageToken ?? '') || '';
}

/** TimeSeries to API JSON, keeping every point value (an INT64 0 or a false BOOL is data, not a default). */
function protoToJsonKeepPoints(s: unknown): unknown {
  const o = s as Record<string, unknown>;
  const points = ((o.points as Record<string, unknown>[]) ?? []).map((p) => {
    const v = (p.value ?? {}) as Record<string, unknown>;
    const which =
      typeof v.value === 'string'
        ? v.value
        : ['int64Value', 'doubleValue', 'boolValue', 'distributionValue', 'stringValue'].find((k) => v[k] !== undefined && v[k] !== null);
    const interval = intervalToJson(p.interval);
    return { interval, value: which ? { [which]: which === 'distributionValue' ? v[which] : v[which] } : {} };
  });
  const rest = (protoToJson({ ...o, points: undefined }) ?? {}) as Record<string, unknown>;
  return { ...rest, points };
}
