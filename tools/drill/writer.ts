/**
 * Writing drill entries to Cloud Logging. `@google-cloud/logging` is loaded only here, only when `--write` is given,
 * so dry runs stay fast; tests inject their own {@link DrillWriter} and never touch the network.
 */
import * as fs from 'node:fs';
import type { LogEntry } from '../../gcp/logging-query/types';

/** Writes entries that share one full log name (`projects/P/logs/run.googleapis.com%2Fstdout`). Throws on failure. */
export interface DrillWriter {
  write(logName: string, entries: LogEntry[]): Promise<void>;
  /** Closes the connection (a call abandoned after its timeout would otherwise keep the process alive). */
  close?(): Promise<void>;
}

/** The role a principal needs to write log entries (`logging.logEntries.create`), gcp-facts §7.1. */
export const LOG_WRITER_ROLE = 'roles/logging.logWriter';

/** `run.googleapis.com%2Frequests` → `run.googleapis.com/requests`. */
export function shortLogName(logName: string): string {
  return decodeURIComponent(logName.replace(/^projects\/[^/]+\/logs\//, ''));
}

/** A proto Duration for the gRPC API, from the JSON form `"2.500000s"`. */
function duration(latency: string): { seconds: number; nanos: number } | undefined {
  const m = /^([0-9]+)(?:\.([0-9]{1,9}))?s$/.exec(latency);
  if (!m) return undefined;
  return { seconds: Number(m[1]), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

/** GOOGLE_APPLICATION_CREDENTIALS names a file that cannot be used; the message is the whole line to print. */
export class CredentialsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsFileError';
  }
}

/** `what`: "GOOGLE_APPLICATION_CREDENTIALS=/path does not exist" and the like. */
function credentialsFileMessage(what: string, projectId: string): string {
  return (
    `drill: ${what}: point it at a readable service-account key (or ADC) JSON file ` +
    `of a principal holding ${LOG_WRITER_ROLE} on project ${projectId}, or unset it and run \`gcloud auth application-default login\``
  );
}

/**
 * Checks the file GOOGLE_APPLICATION_CREDENTIALS names (when set) before the client is loaded: the auth library's own
 * error for a missing or unreadable file is long and names neither the fix nor the role. Throws CredentialsFileError.
 */
export function checkCredentialsFile(projectId: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GOOGLE_APPLICATION_CREDENTIALS || env.google_application_credentials;
  if (!file) return;
  let problem: string | undefined;
  try {
    if (!fs.statSync(file).isFile()) problem = 'is not a file';
    else {
      const text = fs.readFileSync(file, 'utf8');
      try {
        JSON.parse(text);
      } catch {
        problem = 'is not a JSON credentials file';
      }
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problem =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read (permission denied)'
          : `cannot be read (${code ?? (err as Error).message})`;
  }
  if (problem) throw new CredentialsFileError(credentialsFileMessage(`GOOGLE_APPLICATION_CREDENTIALS=${file} ${problem}`, projectId));
}

/** A call to Cloud Logging that got no answer in time. */
export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms / 1000} s`);
    this.name = 'TimeoutError';
  }
}

/** Every try of a call failed to connect: `last` is the last failure. */
export class ConnectionError extends Error {
  constructor(
    readonly last: unknown,
    readonly attempts: number,
    readonly timeoutMs: number,
  ) {
    super(`${attempts} ${attempts === 1 ? 'try' : 'tries'}, ${timeoutMs / 1000} s each; last: ${firstLine(last)}`);
    this.name = 'ConnectionError';
  }
}

const firstLine = (e: unknown) =>
  String((e as { details?: unknown; message?: unknown } | undefined)?.details || (e as { message?: unknown } | undefined)?.message || e)
    .split('\n')[0]
    .trim();

const CONNECTION_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'];

/**
 * The call never reached Cloud Logging: DNS, refused or reset connections, no answer in time, gRPC UNAVAILABLE (14)
 * or DEADLINE_EXCEEDED (4). Not a rejection by the API: those are answers.
 */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof TimeoutError || err instanceof ConnectionError) return true;
  const e = (err ?? {}) as { code?: unknown; errno?: unknown; message?: unknown; details?: unknown };
  if (typeof e.code === 'string' && CONNECTION_CODES.includes(e.code)) return true;
  if (e.code === 14 || e.code === 4) return true;
  const text = `${String(e.message ?? '')} ${String(e.details ?? '')}`;
  return new RegExp(`${CONNECTION_CODES.join('|')}|getaddrinfo|No connection established|socket hang up|UNAVAILABLE|DEADLINE_EXCEEDED`).test(text);
}

/** Options of the Logging client beyond the project (tests point it at a loopback address; nothing else does). */
export interface LoggingClientOptions {
  apiEndpoint?: string;
  port?: number;
  authClient?: unknown;
}

/**
 * What the drill uses of `@google-cloud/logging`, typed here. The package's own types bring its protos, google-gax,
 * gRPC and the auth library: 280 declaration files, a third of the text every `tsc` build parsed for this one lazily
 * loaded class (an incremental build after an edit took 0.5 s longer). The real library runs in the drill's loopback
 * tests (__tests__/drill/safety.test.ts), which would fail on any call that does not fit it.
 */
interface LoggingLibrary {
  Logging: new (options: { projectId: string } & LoggingClientOptions) => {
    auth: { getAccessToken(): Promise<unknown> };
    log(name: string): {
      entry(metadata: Record<string, unknown>, data: unknown): unknown;
      write(entries: unknown[], options: { resource: { type: string; labels: Record<string, string> }; gaxOptions: { maxRetries: number } }): Promise<unknown>;
    };
  };
}

/** The Cloud Logging client, with Application Default Credentials (`env` is where GOOGLE_APPLICATION_CREDENTIALS is read). */
export async function createCloudLoggingWriter(
  projectId: string,
  env: NodeJS.ProcessEnv = process.env,
  client: LoggingClientOptions = {},
): Promise<DrillWriter> {
  checkCredentialsFile(projectId, env);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- typed by LoggingLibrary, not by the package
  const { Logging } = require('@google-cloud/logging') as LoggingLibrary;
  // The library adds a diagnostic entry ("logging.googleapis.com/diagnostic") to the first write of a process
  // (build/src/utils/instrumentation.js); these are its own process-wide flags to skip it, so the drill writes only
  // its own entries.
  const g = globalThis as Record<string, unknown>;
  g.instrumentationAdded = true;
  g.shouldSkipInstrumentationCheck = true;
  const logging = new Logging({ projectId, ...client });
  await quietly(async () => {
    // Fail here, catchably, when there are no credentials: otherwise the gRPC client rethrows the error outside any
    // promise (an uncaught exception with a stack trace).
    await logging.auth.getAccessToken();
  });
  return {
    async close() {
      // The library's own gapic clients, and those it makes per call kind (`logging.api`, index.js request()).
      type Closable = { close?: () => Promise<void> } | undefined;
      const l = logging as unknown as { loggingService?: Closable; configService?: Closable; api?: Record<string, Closable> };
      await Promise.allSettled([l.loggingService, l.configService, ...Object.values(l.api ?? {})].map((c) => c?.close?.()));
    },
    async write(logName, entries) {
      if (!entries.length) return;
      const log = logging.log(shortLogName(logName));
      const converted = entries.map((e) => {
        const { textPayload, jsonPayload, httpRequest, timestamp, logName: _n, ...meta } = e;
        void _n;
        const metadata: Record<string, unknown> = { ...meta, timestamp: timestamp ? new Date(timestamp) : new Date() };
        if (httpRequest) {
          const latency = typeof httpRequest.latency === 'string' ? duration(httpRequest.latency) : undefined;
          metadata.httpRequest = { ...httpRequest, ...(latency ? { latency } : {}) };
        }
        const entry = log.entry(metadata, textPayload ?? jsonPayload);
        // A Cloud Run request log has no payload; the library would send an empty jsonPayload for a missing one.
        if (textPayload === undefined && jsonPayload === undefined) (entry as { data?: unknown }).data = undefined;
        return entry;
      });
      // No retries inside the client (its own, for UNAVAILABLE, last a minute): the drill's bounded retries decide.
      const options = { resource: entries[0].resource as { type: string; labels: Record<string, string> }, gaxOptions: { maxRetries: 0 } };
      await quietly(
        () =>
          new Promise<void>((resolve, reject) => {
            // google-gax rethrows client-initialisation errors outside the promise chain: turn them into a rejection.
            const onUncaught = (e: unknown) => reject(e);
            process.once('uncaughtException', onUncaught);
            log.write(converted, options).then(
              () => {
                process.removeListener('uncaughtException', onUncaught);
                resolve();
              },
              (e: unknown) => {
                process.removeListener('uncaughtException', onUncaught);
                reject(e);
              },
            );
          }),
      );
    },
  };
}

/** Runs `f` without the auth library's MetadataLookupWarning noise (it probes the GCE metadata server off GCP). */
async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'MetadataLookupWarning' || (warning instanceof Error && warning.name === 'MetadataLookupWarning')) return;
    (original as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await f();
  } finally {
    process.emitWarning = original;
  }
}

/** One line, never a stack trace: what failed, where, and what to do. */
export function describeWriteError(err: unknown, projectId: string, logName: string): string {
  if (err instanceof CredentialsFileError) return err.message;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
  // The auth library's own words for a GOOGLE_APPLICATION_CREDENTIALS file it cannot use (checkCredentialsFile missed it).
  const file = /GOOGLE_APPLICATION_CREDENTIALS environment variable: The file at (.+?) does not exist, or it is not a file/.exec(String(e.message ?? ''));
  if (file) return credentialsFileMessage(`GOOGLE_APPLICATION_CREDENTIALS=${file[1]} does not exist or is not a file`, projectId);
  if (/Unable to read the credential file specified by the GOOGLE_APPLICATION_CREDENTIALS/.test(String(e.message ?? ''))) {
    return credentialsFileMessage(`the GOOGLE_APPLICATION_CREDENTIALS file cannot be used (${String(e.message).split('\n')[0]})`, projectId);
  }
  const raw = String(e.details || e.message || err)
    .split('\n')[0]
    .trim();
  const text = `${raw} ${String(e.message ?? '')}`;
  const log = shortLogName(logName);
  const role = `${LOG_WRITER_ROLE} on project ${projectId}`;
  // Before the credentials: a token refresh that cannot reach oauth2.googleapis.com is a network problem too.
  if (isConnectionError(err)) {
    return `drill: could not connect to Cloud Logging to write to log ${log} in project ${projectId} (${raw}): check the network, DNS and any proxy (HTTPS_PROXY)`;
  }
  if (/Could not load the default credentials|Could not refresh access token|invalid_grant|reauth|UNAUTHENTICATED/i.test(text) || e.code === 16) {
    return `drill: no usable Application Default Credentials (${raw}): run \`gcloud auth application-default login\` as a principal holding ${role}`;
  }
  if (e.code === 7 || e.code === 403 || /PERMISSION_DENIED|permission/i.test(text)) {
    return `drill: permission denied writing to log ${log} in project ${projectId}: the caller needs ${role} (logging.logEntries.create) (${raw})`;
  }
  const hint = /requests$/.test(log) ? ' (API writes to the Cloud Run request log are UNVERIFIED: see docs/verify-in-staging.md)' : '';
  return `drill: Cloud Logging rejected the write to log ${log} in project ${projectId}: ${raw}${hint}`;
}
