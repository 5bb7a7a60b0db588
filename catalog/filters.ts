/**
 * Filter builders shared by the signal catalog. The regexes avoid backslash escapes on purpose ([0-9] rather than
 * \d, [.] rather than \.): a Logging-query string literal and RE2 then agree on every character, whatever layer
 * (Terraform JSON, the Logging API, the console) re-quotes it.
 */
import type { EnvironmentConfig } from '../environments/schema';

/** A Cloud Run revision of one service. */
export function cloudRunService(service: string): string {
  return `resource.type="cloud_run_revision" AND resource.labels.service_name="${service}"`;
}

/** Cloud Run's own request log of a service: every request, with the real client IP and status (vividly-app.md §0.3). */
export function requestLogOf(env: EnvironmentConfig, service: string): string {
  return `${cloudRunService(service)} AND logName="projects/${env.projectId}/logs/run.googleapis.com%2Frequests"`;
}

/**
 * The DevelopmentFormatter line that dev and Terraform-deployed prod print (vividly-app.md §2.3):
 * `ESC[33m[WARNING]ESC[0m 2025-11-12 15:00:50 - app.middleware.security - <message> (security:fn:146)`.
 * The first token (level with its ANSI colour codes) contains no space; `[^ ]+` takes it with or without colours.
 */
export const DEV_FORMATTER_PREFIX = '^[^ ]+ [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,.]+ - [A-Za-z0-9_.]+ - ';

/** The workers' `logging.basicConfig` line on stderr: `2025-11-12 15:00:50,123 - app.workers.push_worker - INFO - <message>`. */
export const WORKER_PREFIX = '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,.]+ - [A-Za-z0-9_.]+ - [A-Z]+ - ';

/**
 * An app log event in both forms the API really prints (vividly-app.md §0.1, §2.1): JSON in staging (and the
 * GitHub-deployed `production`), coloured text everywhere else. Both are anchored at the start of the message,
 * so a line that merely quotes the text (a 422 warning echoing user input) does not count.
 */
export function appMessage(messageRegex: string): string {
  return `(jsonPayload.message=~"^${messageRegex}" OR textPayload=~"${DEV_FORMATTER_PREFIX}${messageRegex}")`;
}

/** A worker event: the workers never print JSON, in any environment. */
export function workerMessage(messageRegex: string): string {
  return `textPayload=~"${WORKER_PREFIX}${messageRegex}"`;
}

/** A request URL path, anchored after the host, with an optional query string. */
export function urlPath(pathRegex: string): string {
  return `^https?://[^/]+${pathRegex}([?#].*)?$`;
}
