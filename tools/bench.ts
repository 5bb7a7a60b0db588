/**
 * `npm run bench`: median wall time and peak memory of synthesizing all three environments three ways, measured
 * in the same run so the ratios compare like with like:
 *   - the compiled app as `npm run synth` runs it (V8 tuned for a short run: scripts/v8-flags.js), and with V8's
 *     defaults (`node dist/main.js`);
 *   - the cdktf CLI (`cdktf synth`), what users run before `cdktf deploy`;
 *   - the CDKTF template's way (`npx ts-node main.ts`), the baseline.
 * Targets (2-core machine): compiled <= 1 s and 150 MB; cdktf synth <= 3.5 s; >= 4x faster than ts-node.
 * `--tests` also times one run of the whole test suite (target < 30 s); `--suite` times only that. Figures are printed,
 * never asserted.
 *
 * Big inputs (issue 15), each in a child process under /usr/bin/time for its peak RSS:
 *   - check-logs over a generated LogEntry export (the app's real line forms, tools/shared/log-entries.ts): MB/s and peak
 *     memory; 64 MB by default, 1 GB with `--big` (target <= 200 MB peak whatever the size: streamed);
 *   - simulate with N and 10 N request-count series over a day through prod's policies: median seconds and the
 *     10N/N ratio (linear = about 10); N = 200 by default, 1,000 with `--big` (1,000 vs 10,000, the issue's case);
 *   - simulate of a year at 60 s steps (4 series, 120 s evaluations: 30 s is over the cap) with `--big`: peak memory.
 *
 * Each command timed runs in a process group of its own. Ctrl-C (or SIGTERM, SIGHUP) stops it and whatever it started,
 * removes the bench's temporary directories (`bench-*`) and exits 130/143/129.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appJsonEntry, requestLogEntry, workerEntry } from './shared/log-entries';
import { cleanUpOnSignals, makeTemporaryDir, removeLeftoverTemporaries, removeTemporary, runTracked, shortRunNodeArgs } from './shared/synth-dir';
import { benchBacktest } from './backtest/bench';
import { parseCommandLine, usageError } from './shared/usage';

const root = path.resolve(__dirname, '..', '..');
/** How `npm run synth` and the bin run the project's code: V8 tuned for a short run (scripts/v8-flags.js). */
const SHORT_RUN = shortRunNodeArgs();
const GNU_TIME = '/usr/bin/time';

interface Sample {
  seconds: number;
  peakMb: number | null;
  cpuSeconds?: number;
}

/**
 * Runs a command (under /usr/bin/time when there is one) in a process group of its own: an interrupt of the bench
 * (Ctrl-C, `kill`) stops it and whatever it started, then removes the bench's temporary directories.
 */
async function measure(command: string, args: string[], env: NodeJS.ProcessEnv, tolerateFailure = false, cwd = root): Promise<Sample> {
  const haveTime = fs.existsSync(GNU_TIME);
  const started = process.hrtime.bigint();
  const ran = haveTime
    ? await runTracked(GNU_TIME, ['-f', '__PEAK_KB__%M __CPU__%U+%S', command, ...args], { cwd, env, group: true })
    : await runTracked(command, args, { cwd, env, group: true });
  const result = { status: ran.code, stdout: ran.stdout, stderr: ran.stderr };
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && tolerateFailure) {
    // The end of its output says which check failed (the timing of a failed run is still printed, marked so).
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`
      .replace(/__PEAK_KB__.*/s, '')
      .trimEnd()
      .split('\n')
      .slice(-40)
      .join('\n');
    console.error(`bench: "${command} ${args.join(' ')}" in ${cwd} exited ${result.status} (timed anyway); the end of its output:\n${tail}`);
  } else if (result.status !== 0) throw new Error(`bench: "${command} ${args.join(' ')}" failed (exit ${result.status}):\n${result.stderr}`);
  const peak = /__PEAK_KB__(\d+)/.exec(result.stderr ?? '');
  const cpu = /__CPU__([\d.]+)\+([\d.]+)/.exec(result.stderr ?? '');
  return { seconds, peakMb: peak ? Number(peak[1]) / 1024 : null, ...(cpu ? { cpuSeconds: Number(cpu[1]) + Number(cpu[2]) } : {}) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timeRuns(
  name: string,
  runs: number,
  make: (outdir: string) => [string, string[]],
): Promise<{ name: string; seconds: number; peakMb: number | null; runs: number }> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = makeTemporaryDir('bench', 'synth');
    try {
      const [cmd, args] = make(path.join(dir, 'cdktf.out'));
      samples.push(await measure(cmd, args, { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: path.join(dir, 'cdktf.out') }));
      if (!fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'))) throw new Error(`bench: ${name} wrote no prod stack`);
    } finally {
      removeTemporary(dir);
    }
  }
  const peaks = samples.map((s) => s.peakMb).filter((x): x is number => x !== null);
  return { name, runs, seconds: median(samples.map((s) => s.seconds)), peakMb: peaks.length ? median(peaks) : null };
}

const USAGE = `usage: vividly-monitoring bench [--runs N] [--big] [--tests | --suite [--node BIN] [--baseline REF] [--baseline-node BIN]]
  --runs N   synth runs per way (default 5; the slower ways run N/2 times); with --suite, fresh clones (default 1)
  --big      big inputs at the issue's sizes: check-logs over 1 GB, simulate 1,000 vs 10,000 series, a year of steps
  --tests    also time the whole test suite as --suite does (target < 30 s)
  --suite    time only the whole test suite, as \`npm test\` runs it in a fresh clone of HEAD (git clone, node_modules
             hard-linked, no dist/, no caches), then again after an edit of one source; nothing else
  --baseline REF
             with --suite: as many fresh clones of the commit REF, alternated with HEAD's, and HEAD's speed-up over it
             (the machine's load changes from minute to minute; a ratio measured in the same command does not)
  --node BIN with --suite: the Node.js binary (a file named node) HEAD's suite runs on, first on PATH for npm and
             everything it starts (default: the one running the bench)
  --baseline-node BIN
             with --suite: the Node.js binary the baseline runs on (default: --node's); without --baseline, the
             baseline is HEAD itself on that binary`;

/** How one side of the suite comparison runs: a commit (undefined: HEAD) on a Node.js binary. */
interface SuiteSide {
  ref?: string;
  node: string;
}

/**
 * Refuses a Node.js binary the suite cannot run on: only a file named `node` can be put first on PATH for npm (its
 * `#!/usr/bin/env node`) and for the scripts npm starts, and it must print a Node.js version.
 */
export function checkNode(option: string, bin: string): string | undefined {
  if (path.basename(bin) !== 'node') return `option ${option}: "${bin}" is not a file named node (it is put first on PATH for npm)`;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0 || !/^v\d+\./.test(r.stdout)) return `option ${option}: "${bin}" does not run as Node.js (${r.error?.message ?? `exit ${r.status}`})`;
  return undefined;
}

interface SuiteRun {
  seconds: number;
  cpuSeconds?: number;
  peakMb: number | null;
  load: number;
}

/** Refuses a baseline that cannot be measured like HEAD: an unknown ref, or one that needs other node_modules. */
export function checkBaseline(ref: string, repo = root): string | undefined {
  const commit = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo, encoding: 'utf8' });
  if (commit.status !== 0) return `option --baseline: "${ref}" is not a commit of this repository`;
  const lock = spawnSync('git', ['diff', '--quiet', ref, 'HEAD', '--', 'package-lock.json'], { cwd: repo });
  if (lock.status !== 0) return `option --baseline: "${ref}" has another package-lock.json than HEAD: its suite needs other node_modules`;
  return undefined;
}

/**
 * The whole suite as `npm test` runs it, twice in one fresh clone of a commit: first as cloned (the full build, eslint
 * and prettier over every file, jest's transforms, no timings), then again after an edit of one source (what a
 * developer pays each time: the incremental build, eslint and prettier on the changed file, every jest test). Per run:
 * wall time, the CPU time of every process (user + system: what the suite costs whatever else the machine runs), peak
 * memory.
 */
async function suitePair(tmp: string, name: string, { ref, node }: SuiteSide): Promise<{ first: SuiteRun; again: SuiteRun }> {
  const clone = path.join(tmp, name);
  try {
    const git = await runTracked('git', ['clone', '--quiet', root, clone], { cwd: root, group: true });
    if (git.code !== 0) throw new Error(`bench: git clone ${root} failed: ${git.stderr.trim()}`);
    if (ref) {
      const checkout = await runTracked('git', ['checkout', '--quiet', '--detach', ref], { cwd: clone, group: true });
      if (checkout.code !== 0) throw new Error(`bench: git checkout ${ref} failed: ${checkout.stderr.trim()}`);
    }
    await runTracked('cp', ['-al', path.join(root, 'node_modules'), path.join(clone, 'node_modules')], { cwd: root, group: true });
    // The clone's own caches (eslint, prettier, jest), so neither run reads this checkout's.
    fs.rmSync(path.join(clone, 'node_modules', '.cache'), { recursive: true, force: true });
    const suite = async (): Promise<SuiteRun> => {
      const load = os.loadavg()[0];
      const s = await measure(
        'npm',
        ['test', '--silent', '--', '--silent', `--cacheDirectory=${path.join(tmp, `${name}-jest-cache`)}`],
        { ...process.env, CHECKPOINT_DISABLE: '1', PATH: [path.dirname(node), process.env.PATH].filter(Boolean).join(path.delimiter) },
        true,
        clone,
      );
      return { ...s, load };
    };
    const first = await suite();
    // A real edit (a comment), so the incremental build re-emits a file and eslint and prettier check it again.
    fs.appendFileSync(path.join(clone, 'catalog', 'alerts.ts'), '// bench: an edit\n');
    return { first, again: await suite() };
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
    fs.rmSync(path.join(tmp, `${name}-jest-cache`), { recursive: true, force: true });
  }
}

/**
 * `runs` fresh clones of HEAD, and with a baseline (another commit, another Node.js binary, or both) as many of it,
 * alternated (HEAD first in odd rounds, the baseline first in even ones) so both meet the same machine: medians,
 * ranges, and HEAD's speed-up over the baseline.
 */
async function suiteLines(runs: number, head: SuiteSide, baseline?: SuiteSide): Promise<string[]> {
  const tmp = makeTemporaryDir('bench', 'suite');
  const version = (node: string) => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const label = (side: SuiteSide) => `${side.ref ?? 'HEAD'} on node ${version(side.node)}`;
  type Runs = SuiteSide & { label: string; pairs: Array<{ first: SuiteRun; again: SuiteRun }> };
  const sides: Runs[] = [{ ...head, label: label(head), pairs: [] }];
  if (baseline) sides.push({ ...baseline, label: `baseline ${label(baseline)}`, pairs: [] });
  try {
    for (let round = 0; round < runs; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        if (process.stderr.isTTY) process.stderr.write(`bench: suite round ${round + 1}/${runs}, ${side.label}\n`);
        side.pairs.push(await suitePair(tmp, side === sides[0] ? 'head' : 'baseline', side));
      }
    }
  } finally {
    removeTemporary(tmp);
  }
  /** The median and, over several runs, the range. */
  const spread = (xs: number[], unit = ' s') =>
    xs.length === 1 ? `${xs[0].toFixed(1)}${unit}` : `${median(xs).toFixed(1)}${unit} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`;
  const describe = (what: string, rs: SuiteRun[]) => {
    const cpus = rs.map((r) => r.cpuSeconds).filter((x): x is number => x !== undefined);
    const peaks = rs.map((r) => r.peakMb).filter((x): x is number => x !== null);
    const cpu = cpus.length ? `${spread(cpus)} CPU (${(median(cpus) / os.cpus().length).toFixed(1)} s on idle cores)` : 'CPU n/a';
    return `  - ${what}: ${spread(rs.map((r) => r.seconds))} wall, ${cpu}, peak ${peaks.length ? median(peaks).toFixed(0) : 'n/a'} MB, load average ${spread(
      rs.map((r) => r.load),
      '',
    )} before`;
  };
  const lines = [
    `Whole test suite (npm test; ${os.cpus().length} cores, ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}; ${runs === 1 ? '1 run each' : `median (range) of ${runs} runs each`}; target < 30 s):`,
  ];
  for (const side of sides) {
    lines.push(`- ${side.label}:`);
    lines.push(
      describe(
        'fresh clone (full build, every file linted and format-checked)',
        side.pairs.map((p) => p.first),
      ),
    );
    lines.push(
      describe(
        'again after editing one source (incremental build; eslint and prettier cached by content)',
        side.pairs.map((p) => p.again),
      ),
    );
  }
  if (baseline) {
    const [head, base] = sides;
    const ratio = (pick: (p: { first: SuiteRun; again: SuiteRun }) => number) => (median(base.pairs.map(pick)) / median(head.pairs.map(pick))).toFixed(2);
    lines.push(
      `- ${head.label}: speed-up over the ${base.label} (baseline median / its median): fresh clone ${ratio((p) => p.first.seconds)}x wall, ${ratio((p) => p.first.cpuSeconds ?? NaN)}x CPU; after an edit ${ratio((p) => p.again.seconds)}x wall, ${ratio((p) => p.again.cpuSeconds ?? NaN)}x CPU`,
    );
  }
  return lines;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('bench', USAGE, {
    args: argv,
    options: {
      runs: { type: 'string' },
      baseline: { type: 'string' },
      node: { type: 'string' },
      'baseline-node': { type: 'string' },
      tests: { type: 'boolean', default: false },
      suite: { type: 'boolean', default: false },
      big: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const refuse = (message: string) => usageError('bench', USAGE, message);
  const runs = Number(values.runs ?? (values.suite ? '1' : '5'));
  if (!Number.isInteger(runs) || runs < 1) return refuse(`option --runs: must be a positive whole number (got "${values.runs}")`);
  for (const option of ['baseline', 'node', 'baseline-node'] as const) {
    if (values[option] !== undefined && !values.suite) return refuse(`option --${option}: for whole-suite runs only: use it with --suite`);
  }
  if (values.baseline !== undefined) {
    const refused = checkBaseline(values.baseline);
    if (refused) return refuse(refused);
  }
  const nodes: Partial<Record<'node' | 'baseline-node', string>> = {};
  for (const option of ['node', 'baseline-node'] as const) {
    if (values[option] === undefined) continue;
    const bin = path.resolve(values[option]);
    const refused = checkNode(`--${option}`, bin);
    if (refused) return refuse(refused);
    nodes[option] = bin;
  }
  // Ctrl-C or a kill stops the command being timed (and whatever it started), removes the temporary directories and
  // exits 130/143/129.
  const stopCleaningOnSignals = cleanUpOnSignals('bench', 'temporary directories');
  try {
    // What a bench killed outright (SIGKILL) left: a suite's clones, a gigabyte of logs for --big.
    removeLeftoverTemporaries('bench');
    return await measureAll(values, runs, nodes);
  } finally {
    stopCleaningOnSignals();
  }
}

/** Everything `bench` times, as its options say. */
async function measureAll(
  values: { suite: boolean; big: boolean; tests: boolean; baseline?: string },
  runs: number,
  nodes: Partial<Record<'node' | 'baseline-node', string>>,
): Promise<number> {
  if (values.suite) {
    const head: SuiteSide = { node: nodes.node ?? process.execPath };
    const other = values.baseline !== undefined || nodes['baseline-node'] !== undefined;
    const baseline = other ? { ref: values.baseline, node: nodes['baseline-node'] ?? head.node } : undefined;
    console.log((await suiteLines(runs, head, baseline)).join('\n'));
    return 0;
  }
  const npx = 'npx';
  const cdktf = path.join(root, 'node_modules', '.bin', 'cdktf');
  const results = [
    await timeRuns('compiled app, as npm run synth runs it (V8 tuned)', runs, () => [process.execPath, [...SHORT_RUN, path.join(root, 'dist', 'main.js')]]),
    await timeRuns("compiled app, V8's defaults: node dist/main.js", runs, () => [process.execPath, [path.join(root, 'dist', 'main.js')]]),
    await timeRuns('cdktf CLI: cdktf synth', Math.max(1, Math.ceil(runs / 2)), (out) => [cdktf, ['synth', '--output', out]]),
    await timeRuns('template way: npx ts-node main.ts', Math.max(1, Math.ceil(runs / 2)), () => [npx, ['ts-node', 'main.ts']]),
  ];
  const baseline = results[3].seconds;
  console.log(`Synth of all three environments (dev, staging, prod); median of N runs; ${os.cpus().length} cores, node ${process.version}\n`);
  console.log('| how | runs | median wall time | peak memory (RSS) | speed-up vs ts-node |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.runs} | ${r.seconds.toFixed(2)} s | ${r.peakMb === null ? 'n/a (no /usr/bin/time)' : `${r.peakMb.toFixed(0)} MB`} | ${(baseline / r.seconds).toFixed(1)}x |`,
    );
  }
  // The simulator on the same synth: two 3-day scenarios (the SLO slow burn's history) through prod's 15 policies.
  const synthDir = makeTemporaryDir('bench', 'sim');
  try {
    await measure(process.execPath, [...SHORT_RUN, path.join(root, 'dist', 'main.js')], { ...process.env, CDKTF_OUTDIR: path.join(synthDir, 'cdktf.out') });
    const simulations: Sample[] = [];
    for (let i = 0; i < Math.max(1, Math.ceil(runs / 2)); i++) {
      simulations.push(
        await measure(
          process.execPath,
          [
            ...SHORT_RUN,
            path.join(root, 'dist', 'tools', 'cli.js'),
            'simulate',
            '--env',
            'prod',
            '--synth-dir',
            path.join(synthDir, 'cdktf.out'),
            'scenarios/prod-5xx-storm.yaml',
            'scenarios/prod-api-down.yaml',
          ],
          process.env,
        ),
      );
    }
    console.log(
      `\nSimulator: scenarios/prod-5xx-storm.yaml + prod-api-down.yaml (3 days each, 30 s evaluations) through prod's policies: median ${median(simulations.map((x) => x.seconds)).toFixed(2)} s over ${simulations.length} run(s)`,
    );
    await bigInputs(path.join(synthDir, 'cdktf.out'), runs, values.big ?? false);
  } finally {
    removeTemporary(synthDir);
  }
  // Backtest: 7/15/30 days of prod replayed from the cache, all and half the policies (tools/backtest/bench.ts).
  await benchBacktest(1);
  if (values.tests) console.log(`\n${(await suiteLines(1, { node: process.execPath })).join('\n')}`);
  console.log(
    '\nTargets: compiled <= 1 s and <= 150 MB; cdktf synth <= 3.5 s; compiled >= 4x faster than ts-node; npm test < 30 s; check-logs <= 200 MB peak at any size; simulate linear in the series (10x series ~ 10x time).',
  );
  return 0;
}

// ---- big inputs (issue 15) ------------------------------------------------------------------------------------------

/** A pool of distinct export lines in the forms the app really writes (staging: JSON API lines, request logs, worker text). */
function exportLines(): string[] {
  const lines: string[] = [];
  const t0 = Date.parse('2025-11-12T00:00:00Z');
  const routes = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/content/generate', '/api/v1/students/me', '/health', '/api/v1/notifications/stream'];
  const statuses = [200, 200, 200, 201, 204, 401, 403, 429, 500, 503];
  for (let i = 0; i < 2000; i++) {
    const timestamp = new Date(t0 + i * 1_000);
    const k = i % 10;
    let e;
    if (k < 5)
      e = requestLogEntry('staging', {
        timestamp,
        method: i % 3 ? 'GET' : 'POST',
        path: routes[i % routes.length],
        status: statuses[i % statuses.length],
        latencySeconds: ((i * 37) % 1000) / 250,
        remoteIp: `198.51.100.${i % 250}`,
      });
    else if (k < 8)
      e = appJsonEntry('staging', `${i % 2 ? 'GET' : 'POST'} ${routes[i % routes.length]} - ${statuses[i % statuses.length]}`, {
        timestamp,
        requestId: `req-${i}`,
      });
    else if (k === 8)
      e = workerEntry(
        'staging',
        `Request completed successfully: request_id=5b0c2f6e-8d41-4a7b-9c3e-${String(i).padStart(12, '0')}, video_url=https://storage.googleapis.com/v/${i}.mp4, duration=${(i % 90) + 0.5}s`,
        'INFO',
        { timestamp },
      );
    else
      e = workerEntry(
        'staging',
        `Request failed: id=5b0c2f6e-8d41-4a7b-9c3e-${String(i).padStart(12, '0')}, stage=content_generation, error=Unexpected generation status: failed`,
        'ERROR',
        { timestamp, logger: 'app.services.content_request_service' },
      );
    lines.push(JSON.stringify(e));
  }
  return lines;
}

/** Writes a JSON-lines export of at least `bytes` bytes (the pool repeated) and returns its exact size. */
function writeExport(file: string, bytes: number): number {
  const block = Buffer.from(`${exportLines().join('\n')}\n`);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    while (written < bytes) written += fs.writeSync(fd, block);
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

/** A day of `n` request-count series at 60 s steps (every tenth a 5xx series), as a scenario file. */
function seriesScenario(file: string, n: number, days = 1, step = '60s', evaluationInterval = '30s'): void {
  const series = Array.from({ length: n }, (_, i) => ({
    metric: { type: 'run.googleapis.com/request_count', labels: { response_code: i % 10 ? '200' : '503', response_code_class: i % 10 ? '2xx' : '5xx' } },
    resource: { type: 'cloud_run_revision', labels: { service_name: 'prod-vividly-api', revision_name: `prod-vividly-api-${i}`, location: 'us-central1' } },
    kind: 'DELTA',
    valueType: 'INT64',
    value: { product: [{ diurnal: { floor: 1, peak: 20, tzOffsetHours: -6 } }, { noise: { pct: 20, seed: i + 1 } }, i % 10 ? 0.01 : 0.0001] },
  }));
  fs.writeFileSync(
    file,
    JSON.stringify({ name: `${n} series, ${days} day(s)`, start: '2025-11-12T00:00:00Z', end: `start+${days}d`, step, evaluationInterval, series }),
  );
}

async function bigInputs(synthOut: string, runs: number, big: boolean): Promise<void> {
  const cli = path.join(root, 'dist', 'tools', 'cli.js');
  const tmp = makeTemporaryDir('bench', 'big');
  try {
    // check-logs: throughput and peak memory over one export.
    const exportFile = path.join(tmp, 'export.jsonl');
    const size = writeExport(exportFile, big ? 1024 ** 3 : 64 * 1024 ** 2);
    const logRuns: Sample[] = [];
    for (let i = 0; i < (big ? 1 : Math.max(1, Math.ceil(runs / 2))); i++)
      logRuns.push(await measure(process.execPath, [...SHORT_RUN, cli, 'check-logs', '--env', 'staging', '--synth-dir', synthOut, exportFile], process.env));
    const secs = median(logRuns.map((r) => r.seconds));
    const peaks = logRuns.map((r) => r.peakMb).filter((x): x is number => x !== null);
    console.log(
      `\ncheck-logs over a ${(size / 1024 ** 2).toFixed(0)} MB staging export (JSON lines, ${logRuns.length} run(s)): median ${secs.toFixed(1)} s = ${(size / 1024 ** 2 / secs).toFixed(1)} MB/s, peak ${peaks.length ? `${median(peaks).toFixed(0)} MB` : 'n/a'} (target <= 200 MB${big ? '' : '; `--big` for 1 GB'})`,
    );
    fs.rmSync(exportFile, { force: true });

    // simulate: N vs 10 N series over a day; linear means the ratio is about 10.
    const n = big ? 1000 : 200;
    const simRuns = big ? 1 : Math.max(1, Math.ceil(runs / 2));
    const timeSeries = async (count: number) => {
      const f = path.join(tmp, `series-${count}.json`);
      seriesScenario(f, count);
      const rs: Sample[] = [];
      for (let i = 0; i < simRuns; i++)
        rs.push(await measure(process.execPath, [...SHORT_RUN, cli, 'simulate', '--env', 'prod', '--synth-dir', synthOut, f], process.env));
      const pk = rs.map((r) => r.peakMb).filter((x): x is number => x !== null);
      return { seconds: median(rs.map((r) => r.seconds)), peakMb: pk.length ? median(pk) : null };
    };
    const small = await timeSeries(n);
    const large = await timeSeries(10 * n);
    console.log(`\nsimulate, request-count series over a day (60 s steps, 2,881 evaluations) through prod's policies, median of ${simRuns} run(s):`);
    console.log('| series | median wall time | peak memory (RSS) |');
    console.log('|---|---|---|');
    for (const [count, r] of [
      [n, small],
      [10 * n, large],
    ] as const)
      console.log(`| ${count.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} s | ${r.peakMb === null ? 'n/a' : `${r.peakMb.toFixed(0)} MB`} |`);
    console.log(
      `ratio ${(10 * n).toLocaleString('en-US')}/${n.toLocaleString('en-US')}: ${(large.seconds / small.seconds).toFixed(1)}x for 10x the series (linear = 10x; before the fix 1,000 -> 10,000 took 13 s -> 357 s, 27x)`,
    );

    if (big) {
      const f = path.join(tmp, 'year.json');
      seriesScenario(f, 4, 365, '60s', '120s');
      const r = await measure(process.execPath, [...SHORT_RUN, cli, 'simulate', '--env', 'prod', '--synth-dir', synthOut, f], process.env);
      console.log(
        `\nsimulate, a year at 60 s steps (4 series, 120 s evaluations = 262,801; 30 s is over SCENARIO_LIMITS.evaluations and refused): ${r.seconds.toFixed(1)} s, peak ${r.peakMb?.toFixed(0) ?? 'n/a'} MB (a year at 30 s peaked at 1.9-2.3 GB before the caps)`,
      );
    }
  } finally {
    removeTemporary(tmp);
  }
}

if (require.main === module) run(process.argv.slice(2)).then((code) => (process.exitCode = code));
