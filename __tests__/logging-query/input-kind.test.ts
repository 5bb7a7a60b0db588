/**
 * check-logs says what it saw when the input cannot be the environment's LogEntry JSON: the app's raw stdout (JSON or
 * text), another environment's format or project. Real-format inputs: the fixtures (staging's stdout and its
 * LogEntries) and the log-entry builders (dev/prod text).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifyLine } from '../../gcp/logging-query/input-kind';
import { foreignOriginNote, InputSummary } from '../../tools/logging-query/input-kind';
import { run } from '../../tools/logging-query/cli';
import { appTextEntry } from '../../tools/shared/log-entries';
import { synthDir } from '../support/synth';

const fixtures = path.join(__dirname, '..', 'fixtures');
const stdoutFile = path.join(fixtures, 'vividly-api-stdout.jsonl');
const entriesFile = path.join(fixtures, 'vividly-api-logentries.jsonl');
const text = (f: string) => fs.readFileSync(f, 'utf8');

async function checkLogs(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run([...args, '--synth-dir', synthDir()], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('classifyLine', () => {
  test('tells LogEntries, the app raw JSON and text, other JSON and non-JSON apart', () => {
    expect(classifyLine(text(stdoutFile).split('\n')[0]).kind).toBe('app-json');
    expect(classifyLine(text(entriesFile).split('\n')[0])).toMatchObject({ kind: 'log-entry', project: 'vividly-staging', appFormat: 'json' });
    const devLine = appTextEntry('prod', 'Login failed', { level: 'WARNING' });
    expect(classifyLine(JSON.stringify(devLine))).toMatchObject({ kind: 'log-entry', project: 'vividly-prod', appFormat: 'text' });
    expect(classifyLine(devLine.textPayload as string).kind).toBe('app-text');
    expect(classifyLine('{"a": 1}').kind).toBe('other-json');
    expect(classifyLine('GET /health 200').kind).toBe('not-json');
    expect(classifyLine('   ').kind).toBe('blank');
  });
});

describe('InputSummary', () => {
  test('real LogEntries of the right environment: nothing to say', () => {
    const s = new InputSummary('staging');
    s.addText(text(entriesFile));
    expect(s.notes()).toEqual([]);
    expect(s.noLogEntries).toBe(false);
  });

  test("staging's JSON entries checked as prod: says staging logs JSON and prod logs text, and names the project", () => {
    const s = new InputSummary('prod');
    s.addText(text(entriesFile));
    expect(s.notes()).toEqual([
      // Not "its metrics cannot match them": prod's filters read JSON lines too; these are just not prod's.
      "the API's log lines here are JSON (jsonPayload), as staging writes them; prod logs text (textPayload): these are likely another environment's logs (try --env staging)",
      expect.stringContaining("project vividly-staging (staging's): 60, not vividly-prod"),
    ]);
  });

  test("entries of this project but another environment's Cloud Run service: names the services (also asked of preview scenarios)", () => {
    const s = new InputSummary('dev', "the scenario's log entries");
    // Dev's project, prod's service (a copy-pasted scenario): the project alone says nothing.
    s.addText(JSON.stringify({ ...appTextEntry('dev', 'hello'), resource: { type: 'cloud_run_revision', labels: { service_name: 'prod-vividly-api' } } }));
    expect(s.notes()).toEqual([
      "the scenario's log entries come from service prod-vividly-api (prod's): 1, not dev's (dev-vividly-api, dev-vividly-push-worker)",
    ]);
    expect(foreignOriginNote('dev', 'the series', 'service', new Map([['api', 3]]))).toBeUndefined(); // no environment's name
    expect(
      foreignOriginNote(
        'dev',
        'the series',
        'service',
        new Map([
          ['prod-vividly-api', 3],
          ['dev-vividly-api', 1],
        ]),
      ),
    ).toBeUndefined();
  });

  test("prod's text entries checked as staging: says staging logs JSON", () => {
    const s = new InputSummary('staging');
    s.addText([1, 2, 3].map((i) => JSON.stringify(appTextEntry('prod', `line ${i}`))).join('\n'));
    expect(s.notes()[0]).toContain('as dev or prod write them; staging logs json (jsonPayload)');
  });
});

describe('check-logs on the wrong input', () => {
  test('raw app stdout lines: "not LogEntry JSON", exit 2 (was: 0 matches, exit 0)', async () => {
    const r = await checkLogs(['--env', 'staging', stdoutFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("60 lines are not LogEntry JSON: they are the app's raw stdout JSON");
    expect(r.stdout).toBe('');
  });

  test('raw DevelopmentFormatter text lines: "not LogEntry JSON", exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-logs-text-'));
    const file = path.join(dir, 'stdout.log');
    fs.writeFileSync(file, [1, 2].map((i) => appTextEntry('dev', `hello ${i}`).textPayload).join('\n'));
    try {
      const r = await checkLogs(['--env', 'dev', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("2 lines are not LogEntry JSON: they are the app's raw text output");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("staging's entries with --env prod: the report, plus the note that prod logs text", async () => {
    const r = await checkLogs(['--env', 'prod', entriesFile]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('env prod: 60 entries');
    expect(r.stderr).toContain('as staging writes them; prod logs text (textPayload)');
  });
});
