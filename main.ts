/**
 * Synthesizes one stack per environment: `node dist/main.js [dev|staging|prod ...]` (all by default).
 * Every selected environment is validated before anything is written, and the output is swapped into place
 * only when synth succeeded: a bad value leaves cdktf.out untouched and exits non-zero.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { EnvironmentError, loadEnvironments } from './environments';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { MonitoringStack } from './stacks/monitoring-stack';
import { checkSynthesized } from './stacks/synth-checks';

export function synthesize(outdir: string, selected?: readonly string[], overrides?: Parameters<typeof loadEnvironments>[1]): string[] {
  const environments = loadEnvironments(selected && selected.length ? selected : undefined, overrides);
  const staging = `${outdir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    const app = new App({ outdir: staging, skipValidation: false });
    // Per environment: the stack an admin applies once (`<env>-bootstrap`), then the monitoring stack.
    for (const env of environments) {
      new BootstrapStack(app, env);
      new MonitoringStack(app, env);
    }
    app.synth();
    checkSynthesized(staging, environments);
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.renameSync(staging, outdir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return environments.map((e) => e.name);
}

if (require.main === module) {
  const outdir = process.env.CDKTF_OUTDIR ?? path.join(process.cwd(), 'cdktf.out');
  // `--quiet`: the offline tools' npm scripts synthesize first, so they never read a stale cdktf.out.
  const args = process.argv.slice(2);
  const quiet = args.includes('--quiet');
  try {
    const names = synthesize(outdir, args.filter((a) => a !== '--quiet'));
    if (!process.env.CDKTF_OUTDIR && !quiet) console.log(`synthesized ${names.join(', ')} into ${path.relative(process.cwd(), outdir) || '.'}/stacks/`);
  } catch (err) {
    if (err instanceof EnvironmentError) {
      console.error(`synth stopped, nothing written:\n${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}
