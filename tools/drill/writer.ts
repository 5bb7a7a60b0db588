/**
 * Writing drill entries to Cloud Logging. `@google-cloud/logging` is loaded only here, only when `--write` is given,
 * so dry runs stay fast; tests inject their own {@link DrillWriter} and never touch the network.
 */
import * as fs from 'node:fs';
import type { LogEntry } from '../logging-query/types';

/** Writes entries that share one full log name (`projects/P/logs/run.googleapis.com%2Fstdout`). Throws on failure. */
export interface DrillWriter {
  write(logName: string, entries: LogEntry[]): Promise<void>;
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
      code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)'
      : `cannot be read (${code ?? (err as Error).message})`;
  }
  if (problem) throw new CredentialsFileError(credentialsFileMessage(`GOOGLE_APPLICATION_CREDENTIALS=${file} ${problem}`, projectId));
}

/** The Cloud Logging client, with Application Default Credentials (`env` is where GOOGLE_APPLICATION_CREDENTIALS is read). */
export async function createCloudLoggingWriter(projectId: string, env: NodeJS.ProcessEnv = process.env): Promise<DrillWriter> {
  checkCredentialsFile(projectId, env);
  const { Logging } = await import('@google-cloud/logging');
  // The library adds a diagnostic entry ("logging.googleapis.com/diagnostic") to the first write of a process
  // (build/src/utils/instrumentation.js); these are its own process-wide flags to skip it, so the drill writes only
  // its own entries.
  const g = globalThis as Record<string, unknown>;
  g.instrumentationAdded = true;
  g.shouldSkipInstrumentationCheck = true;
  const logging = new Logging({ projectId });
  await quietly(async () => {
    // Fail here, catchably, when there are no credentials: otherwise the gRPC client rethrows the error outside any
    // promise (an uncaught exception with a stack trace).
    await logging.auth.getAccessToken();
  });
  return {
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
      const options = { resource: entries[0].resource as { type: string; labels: Record<string, string> } };
      await quietly(
        () =>
          new Promise<void>((resolve, reject) => {
            // google-gax rethrows client-initialisation errors outside the promise chain: turn them into a rejection.
            const onUncaught = (e: unknown) => reject(e);
            process.once('uncaughtException', onUncaught);
            log.write(converted, options).then(
              () => { process.removeListener('uncaughtException', onUncaught); resolve(); },
              (e: unknown) => { process.removeListener('uncaughtException', onUncaught); reject(e); },
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
  const raw = String(e.details || e.message || err).split('\n')[0].trim();
  const text = `${raw} ${String(e.message ?? '')}`;
  const log = shortLogName(logName);
  const role = `${LOG_WRITER_ROLE} on project ${projectId}`;
  if (/Could not load the default credentials|Could not refresh access token|invalid_grant|reauth|UNAUTHENTICATED/i.test(text) || e.code === 16) {
    return `drill: no usable Application Default Credentials (${raw}): run \`gcloud auth application-default login\` as a principal holding ${role}`;
  }
  if (e.code === 7 || e.code === 403 || /PERMISSION_DENIED|permission/i.test(text)) {
    return `drill: permission denied writing to log ${log} in project ${projectId}: the caller needs ${role} (logging.logEntries.create) (${raw})`;
  }
  const hint = /requests$/.test(log) ? ' (API writes to the Cloud Run request log are UNVERIFIED: see docs/verify-in-staging.md)' : '';
  return `drill: Cloud Logging rejected the write to log ${log} in project ${projectId}: ${raw}${hint}`;
}
