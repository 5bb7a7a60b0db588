/**
 * `npm run bench`: median wall time and peak memory of synthesizing all three environments three ways, measured
 * in the same run so the ratios compare like with like:
 *   - the compiled app (`node dist/main.js`), what `npm run synth` and the tests run;
 *   - the cdktf CLI (`cdktf synth`), what users run before `cdktf deploy`;
 *   - the CDKTF template's way (`npx ts-node main.ts`), the baseline.
 * Targets (2-core machine): compiled <= 1 s and 150 MB; cdktf synth <= 3.5 s; >= 4x faster than ts-node.
 * `--tests` also times one run of the whole test suite (target < 30 s). Figures are printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(__dirname, '..', '..');
const GNU_TIME = '/usr/bin/time';

interface Sample { seconds: number; peakMb: number | null }

function measure(command: string, args: string[], env: NodeJS.ProcessEnv): Sample {
  const haveTime = fs.existsSync(GNU_TIME);
  const started = process.hrtime.bigint();
  const result = haveTime
    ? spawnSync(GNU_TIME, ['-f', '__PEAK_KB__%M', command, ...args], { cwd: root, env, encoding: 'utf8' })
    : spawnSync(command, args, { cwd: root, env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`bench: "${command} ${args.join(' ')}" failed (exit ${result.status}):\n${result.stderr}`);
  const peak = /__PEAK_KB__(\d+)/.exec(result.stderr ?? '');
  return { seconds, peakMb: peak ? Number(peak[1]) / 1024 : null };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function run(name: string, runs: number, make: (outdir: string) => [string, string[]]): { name: string; seconds: number; peakMb: number | null; runs: number } {
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

function main(): number {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, tests: { type: 'boolean', default: false } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`bench: --runs must be a positive whole number (got "${values.runs}")`);
    return 2;
  }
  const npx = 'npx';
  const cdktf = path.join(root, 'node_modules', '.bin', 'cdktf');
  const results = [
    run('compiled app: node dist/main.js', runs, () => [process.execPath, [path.join(root, 'dist', 'main.js')]]),
    run('cdktf CLI: cdktf synth', Math.max(1, Math.ceil(runs / 2)), (out) => [cdktf, ['synth', '--output', out]]),
    run('template way: npx ts-node main.ts', Math.max(1, Math.ceil(runs / 2)), () => [npx, ['ts-node', 'main.ts']]),
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
  if (values.tests) {
    const tests = measure(npx, ['jest', '--silent'], { ...process.env, CHECKPOINT_DISABLE: '1' });
    console.log(`\nWhole test suite (jest, 1 run): ${tests.seconds.toFixed(1)} s, peak ${tests.peakMb?.toFixed(0) ?? 'n/a'} MB`);
  }
  console.log('\nTargets: compiled <= 1 s and <= 150 MB; cdktf synth <= 3.5 s; compiled >= 4x faster than ts-node; npm test < 30 s.');
  return 0;
}

process.exitCode = main();
// Backtest: 7/15/30 days of prod replayed from the cache (tools/backtest/bench.ts).
if (process.exitCode === 0) require('./backtest/bench').benchBacktest(1).catch((e: Error) => { console.error(e.message); process.exitCode = 1; });
