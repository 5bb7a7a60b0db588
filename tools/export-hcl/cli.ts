/**
 * `export-hcl [--synth-dir DIR] [--out DIR]`: writes each synthesized environment as plain Terraform
 * (`<out>/<env>/main.tf`, default out `terraform-export/`), for life after CDKTF (deprecated since 2025-12-10,
 * gcp-facts §0). Without --synth-dir the working tree is synthesized first, in a temporary directory that SIGINT, SIGTERM
 * and SIGHUP remove too (exit 130/143/129). Exit 2 on bad arguments or input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { cleanUpOnSignals, InputError, interruptPoint, listStacks, readStack, removeSynth, synthWorkingTree } from '../shared/synth-dir';
import { toHcl } from './hcl';
import { checkOutputPath } from '../shared/output';

const USAGE = 'usage: vividly-monitoring export-hcl [--synth-dir DIR] [--out DIR (default terraform-export/)]';

/** Writes every stack of a synth dir; returns the files written. */
export function exportHcl(synthDir: string, outDir: string): string[] {
  const envs = listStacks(synthDir);
  if (!envs.length) throw new InputError(`${synthDir}: no synthesized stacks`);
  return envs.map((env) => {
    const stack = readStack(synthDir, env);
    const file = path.join(outDir, env, 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const header = [
      `Environment "${env}", exported from the CDKTF synth (cdktf.out/stacks/${env}/cdk.tf.json) by \`npm run export:hcl\`.`,
      'Plain Terraform: `terraform init && terraform plan` in this folder manages the same state (same backend and resource addresses).',
    ].join('\n');
    fs.writeFileSync(file, toHcl(stack as never, header));
    return file;
  });
}

export async function run(argv: string[]): Promise<number> {
  let values: { 'synth-dir'?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'synth-dir': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`export-hcl: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const out = values.out ?? 'terraform-export';
  try {
    // Before the synth: empty, a file, or below a file is one line (not files written into the current folder).
    checkOutputPath('out', out, 'dir');
  } catch (err) {
    if (err instanceof InputError) {
      console.error(`export-hcl: ${err.message}`);
      return 2;
    }
    throw err;
  }
  let fresh: string | undefined;
  // Ctrl-C or a kill removes the temporary synth (a signal during the synth is handled once it returns: before writing).
  const stopCleaningOnSignals = cleanUpOnSignals('export-hcl', 'temporary directories');
  try {
    const synthDir = values['synth-dir'] ?? (fresh = synthWorkingTree());
    await interruptPoint();
    for (const file of exportHcl(synthDir, out)) console.log(`wrote ${file}`);
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      console.error(`export-hcl: ${err.message.split('\n')[0]}`);
      return 2;
    }
    throw err;
  } finally {
    if (fresh) removeSynth(fresh);
    stopCleaningOnSignals();
  }
}
