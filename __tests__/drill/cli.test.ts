/** The `drill` command: dry-run output, the prod refusal, one-line write errors, unknown names, paced writes. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveAlerts } from '../../catalog/alerts';
import { loadEnvironments } from '../../environments';
import { run, type DrillDeps } from '../../tools/drill/cli';
import { createCloudLoggingWriter, describeWriteError, type DrillWriter } from '../../tools/drill/writer';
import type { LogEntry } from '../../gcp/logging-query';
import { MALFORMED_STACKS, synthWithStack } from '../support/synth';

const NOW = new Date('2025-11-12T18:00:20Z');

function harness(extra: Partial<DrillDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const writes: { logName: string; entries: LogEntry[]; at: number }[] = [];
  let clock = NOW.getTime();
  const writer: DrillWriter = {
    write: async (logName, entries) => {
      writes.push({ logName, entries, at: clock });
    },
  };
  const deps: Partial<DrillDeps> = {
    now: () => new Date(clock),
    sleep: async (ms) => {
      clock += ms;
    },
    writer: async () => writer,
    out: (l) => out.push(...l.split('\n')),
    err: (l) => err.push(...l.split('\n')),
    ...extra,
  };
  const synth = ['--synth-dir', process.env.SYNTH_DIR!];
  return {
    out,
    err,
    writes,
    deps,
    synth,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

test('dry run (default): the entries as JSON lines on stdout, the plan on stderr, nothing written', async () => {
  const h = harness({
    writer: async () => {
      throw new Error('must not be called');
    },
  });
  expect(await run(['--env', 'staging', '--all', ...h.synth], h.deps)).toBe(0);
  expect(h.out.length).toBeGreaterThan(100);
  const entries = h.out.map((l) => JSON.parse(l) as LogEntry);
  for (const e of entries) {
    expect(e.logName).toMatch(/^projects\/vividly-staging\/logs\/run\.googleapis\.com%2F(requests|stdout)$/);
    expect(e.labels?.drill).toBe('true');
  }
  const text = h.err.join('\n');
  for (const a of resolveAlerts(loadEnvironments(['staging'])[0])) expect(text).toContain(`== ${a.spec.displayName} [`);
  expect(text).toContain('[UNVERIFIED]');
  expect(text).toContain('entries checked against the log-based metrics of');
  expect(text).toMatch(/matches: .*vividly\/account_lockouts x8/);
});

test('--json prints one object with every drill', async () => {
  const h = harness();
  expect(await run(['--env', 'staging', '--alert', 'brute force', '--json', ...h.synth], h.deps)).toBe(0);
  expect(h.out).toHaveLength(1);
  const doc = JSON.parse(h.out[0]);
  expect(doc).toMatchObject({ env: 'staging', projectId: 'vividly-staging', mode: 'dry-run' });
  expect(doc.drills.map((d: { displayName: string }) => d.displayName)).toEqual(['Brute Force Attack']);
  expect(doc.drills[0].metricMatches).toMatchObject({ 'vividly/account_lockouts': 8, 'vividly/auth_rejections_by_client_ip': 40 });
});

test('--write on prod refuses with one line and exit 2, before any writer exists', async () => {
  let made = false;
  const h = harness({
    writer: async () => {
      made = true;
      return { write: async () => undefined };
    },
  });
  expect(await run(['--env', 'prod', '--alert', 'Brute Force Attack', '--write'], h.deps)).toBe(2);
  expect(made).toBe(false);
  expect(h.err).toEqual(['drill: refusing to write to prod (project vividly-prod): drills.allowed is false in environments/prod.ts']);
});

test('a permission error is one line naming roles/logging.logWriter, exit 1, no stack', async () => {
  const denied = Object.assign(new Error("7 PERMISSION_DENIED: Permission 'logging.logEntries.create' denied on resource (or it may not exist)."), { code: 7 });
  const h = harness({
    writer: async () => ({
      write: async () => {
        throw denied;
      },
    }),
  });
  expect(await run(['--env', 'staging', '--alert', 'Database Connection Issues', '--write', '--json', ...h.synth], h.deps)).toBe(1);
  expect(h.err).toHaveLength(1);
  expect(h.err[0]).toMatch(
    /^drill: permission denied writing to log run\.googleapis\.com\/stdout in project vividly-staging: the caller needs roles\/logging\.logWriter/,
  );
  expect(h.err[0]).not.toMatch(/\n| {4}at /);
});

test('missing Application Default Credentials: one line with the role, exit 1', async () => {
  const h = harness({
    writer: async () => {
      throw new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.');
    },
  });
  expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', '--write', '--json', ...h.synth], h.deps)).toBe(1);
  expect(h.err).toHaveLength(1);
  expect(h.err[0]).toMatch(/no usable Application Default Credentials .*roles\/logging\.logWriter on project vividly-staging/);
});

describe('GOOGLE_APPLICATION_CREDENTIALS naming a file that cannot be used (an injected environment, no network)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-creds-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const advice =
    'point it at a readable service-account key (or ADC) JSON file of a principal holding roles/logging.logWriter on project vividly-staging, or unset it and run `gcloud auth application-default login`';

  async function writeWith(file: string) {
    const h = harness({ writer: (projectId) => createCloudLoggingWriter(projectId, { GOOGLE_APPLICATION_CREDENTIALS: file }) });
    const code = await run(['--env', 'staging', '--alert', 'Brute Force', '--write', '--json', ...h.synth], h.deps);
    return { code, err: h.err, writes: h.writes };
  }

  test('a missing file: one line naming the file, the fix and the role, exit 1', async () => {
    const missing = path.join(dir, 'no-such-key.json');
    const r = await writeWith(missing);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`drill: GOOGLE_APPLICATION_CREDENTIALS=${missing} does not exist: ${advice}`]);
    expect(r.writes).toEqual([]);
  });

  test('a file that cannot be read as credentials (a directory, not JSON): one line, exit 1', async () => {
    expect((await writeWith(dir)).err).toEqual([`drill: GOOGLE_APPLICATION_CREDENTIALS=${dir} is not a file: ${advice}`]);
    const garbled = path.join(dir, 'key.json');
    fs.writeFileSync(garbled, 'not json');
    const r = await writeWith(garbled);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`drill: GOOGLE_APPLICATION_CREDENTIALS=${garbled} is not a JSON credentials file: ${advice}`]);
  });

  test("the auth library's own error for such a file reads the same", () => {
    const libraryError = new Error(
      "Unable to read the credential file specified by the GOOGLE_APPLICATION_CREDENTIALS environment variable: The file at /keys/gone.json does not exist, or it is not a file. ENOENT: no such file or directory, lstat '/keys/gone.json'",
    );
    expect(describeWriteError(libraryError, 'vividly-staging', 'projects/vividly-staging/logs/run.googleapis.com%2Fstdout')).toBe(
      `drill: GOOGLE_APPLICATION_CREDENTIALS=/keys/gone.json does not exist or is not a file: ${advice}`,
    );
  });
});

test('a rejected request-log write says which log and why', async () => {
  const rejected = Object.assign(new Error('3 INVALID_ARGUMENT: Log name run.googleapis.com/requests is reserved'), { code: 3 });
  const h = harness({
    writer: async () => ({
      write: async (logName) => {
        if (logName.endsWith('%2Frequests')) throw rejected;
      },
    }),
  });
  expect(await run(['--env', 'staging', '--alert', 'Authentication Failures Spike', '--write', '--json', ...h.synth], h.deps)).toBe(1);
  expect(h.err).toEqual([
    expect.stringMatching(
      /^drill: Cloud Logging rejected the write to log run\.googleapis\.com\/requests in project vividly-staging: 3 INVALID_ARGUMENT: Log name .* is reserved \(API writes to the Cloud Run request log are UNVERIFIED/,
    ),
  ]);
});

test('unknown alert name: exit 2 and the list of names', async () => {
  const h = harness();
  expect(await run(['--env', 'staging', '--alert', 'no such alert'], h.deps)).toBe(2);
  expect(h.err).toHaveLength(1);
  const names = resolveAlerts(loadEnvironments(['staging'])[0]).map((a) => a.spec.displayName);
  expect(h.err[0]).toBe(`drill: no alert of staging matches "no such alert"; alerts: ${names.join(', ')}`);
  expect(names).toEqual(expect.arrayContaining(['Brute Force Attack', 'DDoS Attempt', 'Service Down', 'Push Worker Down']));
});

test('usage errors exit 2', async () => {
  const h = harness();
  expect(await run(['--env', 'staging'], h.deps)).toBe(2);
  expect(await run(['--env', 'nowhere', '--all'], h.deps)).toBe(2);
  expect(await run(['--env', 'staging', '--all', '--bogus'], h.deps)).toBe(2);
});

test('--write paces Performance Degradation in waves, each stamped with its write time, grouped by log', async () => {
  const h = harness();
  expect(await run(['--env', 'staging', '--alert', 'Performance Degradation', '--write', ...h.synth], h.deps)).toBe(0);
  expect(h.out).toEqual([]); // no JSON lines when writing
  expect(h.writes.length).toBe(39);
  expect(h.writes.every((w) => w.logName === 'projects/vividly-staging/logs/run.googleapis.com%2Frequests')).toBe(true);
  h.writes.forEach((w, i) => {
    expect(w.at).toBe(NOW.getTime() + i * 20_000);
    const stamps = w.entries.map((e) => Date.parse(e.timestamp!));
    expect(Math.max(...stamps)).toBe(w.at);
    expect(Math.min(...stamps)).toBeGreaterThan(w.at - 20_000);
  });
  expect(h.err.filter((l) => l.startsWith('drill: Performance Degradation: wrote'))).toHaveLength(39);
});

test('--write of a burst drill writes each log once, app lines and request logs separately', async () => {
  const h = harness();
  expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', '--write', ...h.synth], h.deps)).toBe(0);
  expect(h.writes.map((w) => [w.logName.split('%2F')[1], w.entries.length])).toEqual([
    ['requests', 40],
    ['stdout', 8],
  ]);
});

const built = path.join(__dirname, '..', '..', 'dist', 'tools', 'drill', 'cli.js');
test('a dry run never loads @google-cloud/logging (compiled command)', () => {
  // jest's global setup builds dist/; a missing build fails here rather than skipping the check.
  expect({ built, exists: fs.existsSync(built) }).toEqual({ built, exists: true });
  const script = `const {run}=require(${JSON.stringify(built)});run(['--env','staging','--all','--json','--synth-dir',${JSON.stringify(process.env.SYNTH_DIR)}],{out:()=>{},err:()=>{}}).then(c=>{process.stdout.write(String(c)+' '+Object.keys(require.cache).some(k=>k.includes('@google-cloud'+'/logging')))})`;
  expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe('0 false');
});

describe('the synth the entries are checked against (issue 16)', () => {
  const refused = (): Partial<DrillDeps> => ({
    writer: async () => {
      throw new Error('must not be called: nothing is written when the synth cannot be checked');
    },
  });

  test('a --synth-dir without the stack (a typo) is one line naming it, exit 2, with or without --write; nothing printed', async () => {
    for (const write of [false, true]) {
      const h = harness(refused());
      expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', '--synth-dir', '/nonexist', ...(write ? ['--write'] : [])], h.deps)).toBe(2);
      expect({ out: h.out, err: h.err }).toEqual({
        out: [],
        err: [
          `drill: option --synth-dir: no synthesized stack for "staging" at ${path.join('/nonexist', 'stacks', 'staging', 'cdk.tf.json')} (run \`npm run synth\` first, or pass the right --synth-dir)`,
        ],
      });
    }
  });

  test('no default synth: a dry run goes on with a note, --write is refused (exit 2)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-no-synth-'));
    const cwd = process.cwd();
    process.chdir(dir); // no cdktf.out here
    try {
      const dry = harness(refused());
      expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack'], dry.deps)).toBe(0);
      expect(dry.err).toContain(
        `drill: no synth at ${path.join('cdktf.out', 'stacks', 'staging', 'cdk.tf.json')}: entries not checked against the log-based metrics (run \`npm run synth\`)`,
      );
      const h = harness(refused());
      expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', '--write'], h.deps)).toBe(2);
      expect({ out: h.out, err: h.err, writes: h.writes }).toEqual({
        out: [],
        err: [
          `drill: no synthesized stack for "staging" at ${path.join('cdktf.out', 'stacks', 'staging', 'cdk.tf.json')}: refusing to write entries not checked against the log-based metrics (run \`npm run synth\` first)`,
        ],
        writes: [],
      });
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each(MALFORMED_STACKS)(
    'a dry run on the stack %s: one line naming the file and the field, exit 2 (not "matches: NO log-based metric")',
    async (text, field) => {
      const { dir, file } = synthWithStack('staging', text);
      try {
        const h = harness(refused());
        expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', '--synth-dir', dir], h.deps)).toBe(2);
        expect({ out: h.out, err: h.err }).toEqual({ out: [], err: [`drill: ${file}: ${field}: not an object`] });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test('a malformed synth is one line naming the file, exit 2 (not a bare "Unexpected end of JSON input")', async () => {
    const synth = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-bad-synth-'));
    try {
      const file = path.join(synth, 'stacks', 'staging', 'cdk.tf.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      for (const [text, reason] of [
        ['{"resource": {', /^not valid JSON \(.+\)$/],
        ['{"resource": {"google_logging_metric": []}}', /^resource\.google_logging_metric: not an object$/],
      ] as const) {
        fs.writeFileSync(file, text);
        const h = harness(refused());
        expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', '--write', '--synth-dir', synth], h.deps)).toBe(2);
        expect(h.out).toEqual([]);
        expect(h.err).toHaveLength(1);
        expect(h.err[0].startsWith(`drill: ${file}: `)).toBe(true);
        expect(h.err[0].slice(`drill: ${file}: `.length)).toMatch(reason);
      }
    } finally {
      fs.rmSync(synth, { recursive: true, force: true });
    }
  });
});
