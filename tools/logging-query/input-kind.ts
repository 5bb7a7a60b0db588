/**
 * What a check-logs input is, counted over its lines, so that 0 matches on the wrong kind of input comes with a reason
 * instead of a silent exit 0. Each line is classified by gcp/logging-query/input-kind.ts (the detection the scenario
 * loader shares); `InputSummary` counts them and says, once, what it saw:
 *   - the app's raw stdout (JSON lines or DevelopmentFormatter text) instead of Cloud Logging LogEntry objects;
 *   - LogEntry objects whose API log lines are in another environment's format (the API logs JSON only in staging,
 *     ANSI text in dev and prod: docs/reference/vividly-app.md §2.1, tools/shared/log-entries.ts APP_LOG_FORMAT);
 *   - entries of another environment's project, or of its Cloud Run services.
 * `preview --scenario` asks the same of a scenario's log entries and series (foreignOriginNote).
 */
import { classifyLine, classifyValue, RAW_APP_OUTPUT, type LineClass, type LineKind } from '../../gcp/logging-query/input-kind';
import { stripBom } from '../../gcp/text';
import { APP_LOG_FORMAT, apiService, PROJECT_IDS, pushWorkerService } from '../shared/log-entries';
import type { EnvironmentName } from '../../environments/schema';

const ENVS = Object.keys(APP_LOG_FORMAT) as EnvironmentName[];
const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

/** Counts a value seen (a project, a service) in `seen`. */
export const countSeen = (seen: Map<string, number>, value: unknown): void => {
  if (typeof value === 'string' && value) seen.set(value, (seen.get(value) ?? 0) + 1);
};

/**
 * One sentence when what `subject` ("the entries", "the scenario's series") came from belongs to another environment
 * than `env`: projects (`seen` counts each project id) none of which is `env`'s, or Cloud Run services (named
 * `<env>-...` by the deployed convention) of other environments and none of `env`'s. Undefined otherwise.
 */
export function foreignOriginNote(env: EnvironmentName, subject: string, kind: 'project' | 'service', seen: ReadonlyMap<string, number>): string | undefined {
  const ownerOf = (v: string) => (kind === 'project' ? ENVS.find((e) => PROJECT_IDS[e] === v) : ENVS.find((e) => v.startsWith(`${e}-`)));
  const owners = (xs: Array<[string, number]>) =>
    xs.map(([v, n]) => {
      const owner = ownerOf(v);
      return `${v}${owner ? ` (${owner}'s)` : ''}: ${n}`;
    });
  if (kind === 'project') {
    const own = PROJECT_IDS[env];
    const foreign = [...seen].filter(([p]) => p !== own);
    return foreign.length && !seen.has(own) ? `${subject} come from project ${owners(foreign).join(', ')}, not ${own} (${env}'s)` : undefined;
  }
  const foreign = [...seen].filter(([s]) => ownerOf(s) !== undefined && ownerOf(s) !== env);
  const ownSeen = [...seen.keys()].some((s) => ownerOf(s) === env);
  return foreign.length && !ownSeen
    ? `${subject} come from service ${owners(foreign).join(', ')}, not ${env}'s (${apiService(env)}, ${pushWorkerService(env)})`
    : undefined;
}

/** Counts the classified lines of an input and says what was seen when it cannot be what `env`'s metrics read. */
export class InputSummary {
  readonly counts: Record<LineKind, number> = { 'log-entry': 0, 'app-json': 0, 'app-text': 0, 'other-json': 0, 'not-json': 0, blank: 0 };
  readonly appFormats: Record<'json' | 'text', number> = { json: 0, text: 0 };
  readonly projects = new Map<string, number>();
  readonly services = new Map<string, number>();

  /** `subject`: what the notes call the input ("the entries"; preview: "the scenario's log entries"). */
  constructor(
    readonly env: EnvironmentName,
    readonly subject = 'the entries',
  ) {}

  add(c: LineClass): void {
    this.counts[c.kind]++;
    if (c.appFormat) this.appFormats[c.appFormat]++;
    countSeen(this.projects, c.project);
    countSeen(this.services, c.service);
  }

  /** A whole input file: a JSON array (`gcloud logging read --format=json`) or JSON lines. */
  addText(text: string): void {
    const body = stripBom(text);
    if (body.trimStart().startsWith('[')) {
      try {
        const values = JSON.parse(body) as unknown;
        if (Array.isArray(values)) {
          for (const v of values) this.add(classifyValue(v));
          return;
        }
      } catch {
        /* reported as malformed by the reader; classify line by line */
      }
    }
    for (const line of body.split(/\r?\n/)) this.add(classifyLine(line));
  }

  /** True when nothing read is a LogEntry: no metric can match, and the input is the wrong kind. */
  get noLogEntries(): boolean {
    return this.counts['log-entry'] === 0;
  }

  /** One sentence per problem seen (empty when the input looks like `env`'s LogEntry JSON). */
  notes(): string[] {
    const c = this.counts;
    const notes: string[] = [];
    const lines = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
    if (c['app-json']) {
      notes.push(`${lines(c['app-json'])} are not LogEntry JSON: they are ${RAW_APP_OUTPUT['app-json']}`);
    }
    if (c['app-text']) {
      notes.push(`${lines(c['app-text'])} are not LogEntry JSON: they are ${RAW_APP_OUTPUT['app-text']}`);
    }
    if (c['not-json'] && !c['log-entry'])
      notes.push(`${lines(c['not-json'])} are not JSON at all: check-logs reads LogEntry objects, one JSON object per line or a JSON array`);
    if (c['other-json'] && !c['log-entry'] && !c['app-json'])
      notes.push(`${lines(c['other-json'])} are JSON but not LogEntry objects (no logName, resource or payload)`);
    const expected = APP_LOG_FORMAT[this.env];
    const other = expected === 'json' ? 'text' : 'json';
    if (this.appFormats[other] && !this.appFormats[expected]) {
      const writers = ENVS.filter((e) => APP_LOG_FORMAT[e] === other);
      notes.push(
        // Not "cannot match": every environment's filters read both forms (the app's format is not the docs' promise).
        `the API's log lines here are ${other === 'json' ? 'JSON (jsonPayload)' : 'text (textPayload)'}, as ${list(writers)} ${writers.length === 1 ? 'writes' : 'write'} them; ${this.env} logs ${expected}${expected === 'json' ? ' (jsonPayload)' : ' (textPayload)'}: these are likely another environment's logs (try --env ${writers[0]})`,
      );
    }
    // Another environment's project, else (the project is this one's, or not known) its services.
    const origin = foreignOriginNote(this.env, this.subject, 'project', this.projects) ?? foreignOriginNote(this.env, this.subject, 'service', this.services);
    if (origin) notes.push(origin);
    return notes;
  }
}
