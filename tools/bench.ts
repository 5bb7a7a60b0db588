/**
 * `npm run bench`: median wall time and peak memory of synthesizing all three environments three ways, measured
 * in the same run so the ratios compare like with like:
 *   - the compiled app (`node dist/main.js`), what `npm run synth` and the tests run;
 *   - the cdktf CLI (`cdktf synth`), what users run before `cdktf deploy`;
 *   - the CDKTF template's way (`npx ts-node main.ts`), the baseline.
 * Targets (2-core machine): compiled <= 1 s and 150 MB; cdktf synth <= 3.5 s; >= 4x faster than ts-node.
 * `--tests` also times one run of the whole test suite (target < 30 s); `--suite` times only that. Figures are printed,
 * never asserted.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(__dirname, '..', '..');
const GNU_TIME = '/usr/bin/time';

interface Sample { seconds: number; peakMb: number | null; cpuSeconds?: number }

function measure(command: string, args: string[], env: NodeJS.ProcessEnv, tolerateFailure = false, cwd = root): Sample {
  const haveTime = fs.existsSync(GNU_TIME);
  const started = process.hrtime.bigint();
  const result = haveTime
    ? spawnSync(GNU_TIME, ['-f', '__PEAK_KB__%M __CPU__%U+%S', command, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && tolerateFailure) console.error(`bench: "${command} ${args.join(' ')}" exited ${result.status} (timed anyway)`);
  else if (result.status !== 0) throw new Error(`bench: "${command} ${args.join(' ')}" failed (exit ${result.status}):\n${result.stderr}`);
  const peak = /__PEAK_KB__(\d+)/.exec(result.stderr ?? '');
  const cpu = /__CPU__([\d.]+)\+([\d.]+)/.exec(result.stderr ?? '');
  return { seconds, peakMb: peak ? Number(peak[1]) / 1024 : null, ...(cpu ? { cpuSeconds: Number(cpu[1]) + Number(cpu[2]) } : {}) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function timeRuns(name: string, runs: number, make: (outdir: string) => [string, string[]]): { name: string; seconds: number; peakMb: number | null; runs: number } {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
    const [cmd, args] = make(path.join(dir, 'cdktf.out'));
    samples.push(measure(cmd, args, { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: path.join(dir, 'cdktf.out') }));
    if (!fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'))) throw new Error(`bench: ${name} wrote no prod stack`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const peaks = samples.map((s) => s.peakMb).filter((x): x is number => x !== null);
  return { name, runs, seconds: median(samples.map((s) => s.seconds)), peakMb: peaks.length ? median(peaks) : null };
}

const USAGE = `usage: vividly-monitoring bench [--runs N] [--tests | --suite]
  --runs N   synth runs per way (default 5; the slower ways run N/2 times)
  --tests    also time one run of the whole test suite (target < 30 s)
  --suite    time only the whole test suite, as \`npm test\` runs it on a fresh clone of HEAD (git clone, node_modules
             hard-linked, no dist/, no jest timings), nothing else`;

/**
 * The whole suite once, as `npm test` runs it on a fresh clone of HEAD (full build included): wall time, the CPU time
 * of every process (user + system: what the suite costs whatever else the machine runs), peak memory, the machine.
 */
function suiteLine(): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-suite-'));
  const clone = path.join(tmp, 'clone');
  try {
    const git = spawnSync('git', ['clone', '--quiet', root, clone], { encoding: 'utf8' });
    if (git.status !== 0) throw new Error(`bench: git clone ${root} failed: ${git.stderr.trim()}`);
    spawnSync('cp', ['-al', path.join(root, 'node_modules'), path.join(clone, 'node_modules')]);
    const load = os.loadavg()[0];
    const tests = measure('npm', ['test', '--silent', '--', '--silent', `--cacheDirectory=${path.join(tmp, 'jest-cache')}`], { ...process.env, CHECKPOINT_DISABLE: '1' }, true, clone);
    const cpu = tests.cpuSeconds === undefined ? 'n/a' : `${tests.cpuSeconds.toFixed(1)} s`;
    const cores = os.cpus().length;
    const ideal = tests.cpuSeconds === undefined ? '' : ` (${(tests.cpuSeconds / cores).toFixed(1)} s wall on ${cores} idle cores)`;
    return `Whole test suite, fresh clone (npm test incl. the build, 1 run): ${tests.seconds.toFixed(1)} s wall, ${cpu} CPU${ideal}, peak ${tests.peakMb?.toFixed(0) ?? 'n/a'} MB; ${cores} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), node ${process.version}, load average ${load.toFixed(1)} before / ${os.loadavg()[0].toFixed(1)} after. Target < 30 s.`;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function run(argv: string[]): Promise<number> {
  let values: { runs: string; tests: boolean; suite: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { runs: { type: 'string', default: '5' }, tests: { type: 'boolean', default: false }, suite: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`bench: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`bench: --runs must be a positive whole number (got "${values.runs}")`);
    return 2;
  }
  if (values.suite) {
    console.log(suiteLine());
    return 0;
  }
  const npx = 'npx';
  const cdktf = path.join(root, 'node_modules', '.bin', 'cdktf');
  const results = [
    timeRuns('compiled app: node dist/main.js', runs, () => [process.execPath, [path.join(root, 'dist', 'main.js')]]),
    timeRuns('cdktf CLI: cdktf synth', Math.max(1, Math.ceil(runs / 2)), (out) => [cdktf, ['synth', '--output', out]]),
    timeRuns('template way: npx ts-node main.ts', Math.max(1, Math.ceil(runs / 2)), () => [npx, ['ts-node', 'main.ts']]),
  ];
  const baseline = results[2].seconds;
  console.log(`Synth of all three environments (dev, staging, prod); median of N runs; ${os.cpus().length} cores, node ${process.version}\n`);
  console.log('| how | runs | median wall time | peak memory (RSS) | speed-up vs ts-node |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.runs} | ${r.seconds.toFixed(2)} s | ${r.peakMb === null ? 'n/a (no /usr/bin/time)' : `${r.peakMb.toFixed(0)} MB`} | ${(baseline / r.seconds).toFixed(1)}x |`);
  }
  // The simulator on the same synth: two 3-day scenarios (the SLO slow burn's history) through prod's 15 policies.
  const synthDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sim-'));
  measure(process.execPath, [path.join(root, 'dist', 'main.js')], { ...process.env, CDKTF_OUTDIR: path.join(synthDir, 'cdktf.out') });
  const simulations = Array.from({ length: Math.max(1, Math.ceil(runs / 2)) }, () =>
    measure(process.execPath, [path.join(root, 'dist', 'tools', 'cli.js'), 'simulate', '--env', 'prod', '--synth-dir', path.join(synthDir, 'cdktf.out'), 'scenarios/prod-5xx-storm.yaml', 'scenarios/prod-api-down.yaml'], process.env),
  );
  fs.rmSync(synthDir, { recursive: true, force: true });
  console.log(`\nSimulator: scenarios/prod-5xx-storm.yaml + prod-api-down.yaml (3 days each, 30 s evaluations) through prod's policies: median ${median(simulations.map((x) => x.seconds)).toFixed(2)} s over ${simulations.length} run(s)`);
  if (values.tests) console.log(`\n${suiteLine()}`);
  console.log('\nTargets: compiled <= 1 s and <= 150 MB; cdktf synth <= 3.5 s; compiled >= 4x faster than ts-node; npm test < 30 s.');
  return 0;
}

if (require.main === module) run(process.argv.slice(2)).then((code) => (process.exitCode = code));
