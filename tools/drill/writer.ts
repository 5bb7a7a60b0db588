/**
 * Writing drill entries to Cloud Logging. `@google-cloud/logging` is loaded only here, only when `--write` is given,
 * so dry runs stay fast; tests inject their own {@link DrillWriter} and never touch the network.
 */
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

/** The Cloud Logging client, with Application Default Credentials. */
export async function createCloudLoggingWriter(projectId: string): Promise<DrillWriter> {
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
  const e = (err ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
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
