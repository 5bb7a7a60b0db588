/**
 * What a check-logs input is, counted over its lines, so that 0 matches on the wrong kind of input comes with a reason
 * instead of a silent exit 0. Each line is classified by gcp/logging-query/input-kind.ts (the detection the scenario
 * loader shares); `InputSummary` counts them and says, once, what it saw:
 *   - the app's raw stdout (JSON lines or DevelopmentFormatter text) instead of Cloud Logging LogEntry objects;
 *   - LogEntry objects whose API log lines are in another environment's format (the API logs JSON only in staging,
 *     ANSI text in dev and prod: docs/reference/vividly-app.md §2.1, tools/shared/log-entries.ts APP_LOG_FORMAT);
 *   - entries of another environment's project.
 */
import { classifyLine, classifyValue, RAW_APP_OUTPUT, type LineClass, type LineKind } from '../../gcp/logging-query/input-kind';
import { stripBom } from '../../gcp/text';
import { APP_LOG_FORMAT, PROJECT_IDS } from '../shared/log-entries';
import type { EnvironmentName } from '../../environments/schema';

const ENVS = Object.keys(APP_LOG_FORMAT) as EnvironmentName[];
const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

/** Counts the classified lines of an input and says what was seen when it cannot be what `env`'s metrics read. */
export class InputSummary {
  readonly counts: Record<LineKind, number> = { 'log-entry': 0, 'app-json': 0, 'app-text': 0, 'other-json': 0, 'not-json': 0, blank: 0 };
  readonly appFormats: Record<'json' | 'text', number> = { json: 0, text: 0 };
  readonly projects = new Map<string, number>();

  constructor(readonly env: EnvironmentName) {}

  add(c: LineClass): void {
    this.counts[c.kind]++;
    if (c.appFormat) this.appFormats[c.appFormat]++;
    if (c.project) this.projects.set(c.project, (this.projects.get(c.project) ?? 0) + 1);
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
    const own = PROJECT_IDS[this.env];
    const foreign = [...this.projects].filter(([p]) => p !== own);
    if (foreign.length && !this.projects.has(own)) {
      const owners = foreign.map(([p, n]) => {
        const env = ENVS.find((e) => PROJECT_IDS[e] === p);
        return `${p}${env ? ` (${env}'s)` : ''}: ${n}`;
      });
      notes.push(`the entries come from project ${owners.join(', ')}, not ${own} (${this.env}'s)`);
    }
    return notes;
  }
}
