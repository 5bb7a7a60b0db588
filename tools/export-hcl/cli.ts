/**
 * `export-hcl [--synth-dir DIR] [--out DIR]`: writes each synthesized environment as plain Terraform
 * (`<out>/<env>/main.tf`, default out `terraform-export/`), for life after CDKTF (deprecated since 2025-12-10,
 * gcp-facts §0). Without --synth-dir, the project's cdktf.out when it is fresh (the bin re-synthesizes it when a source is
 * newer), else the working tree synthesized in a temporary directory that SIGINT, SIGTERM and SIGHUP remove too
 * (exit 130/143/129): tools/shared/synth-dir.ts workingTreeSynth. Exit 2 on bad arguments or input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanUpOnSignals, InputError, interruptPoint, listStacks, readStack, removeSynth, workingTreeSynth } from '../shared/synth-dir';
import { parseCommandLine } from '../shared/usage';
import { toHcl } from './hcl';
import { checkOutputPath, commitOutputs, pendingOutput } from '../shared/output';

const USAGE = 'usage: vividly-monitoring export-hcl [--synth-dir DIR] [--out DIR (default terraform-export/)]';

/** Every stack of a synth dir as HCL, all read and converted before anything is written (a bad stack throws). */
export function hclOfStacks(synthDir: string): Array<{ env: string; hcl: string }> {
  const envs = listStacks(synthDir);
  if (!envs.length) throw new InputError(`${synthDir}: no synthesized stacks`);
  return envs.map((env) => {
    const stack = readStack(synthDir, env);
    const header = [
      `Environment "${env}", exported from the CDKTF synth (cdktf.out/stacks/${env}/cdk.tf.json) by \`npm run export:hcl\`.`,
      'Plain Terraform: `terraform init && terraform plan` in this folder manages the same state (same backend and resource addresses).',
    ].join('\n');
    return { env, hcl: toHcl(stack as never, header) };
  });
}

/**
 * Writes every stack of a synth dir as `<outDir>/<env>/main.tf`; returns the files written. All stacks are converted
 * first, then written beside outDir and put in place together: a bad stack or an interrupt writes none. Other files
 * of outDir (a `terraform init`'s .terraform/ and lock file) stay.
 */
export async function exportHcl(synthDir: string, outDir: string): Promise<string[]> {
  const files = hclOfStacks(synthDir);
  const out = pendingOutput('out', outDir, 'dir');
  try {
    for (const { env, hcl } of files) {
      fs.mkdirSync(path.join(out.path, env));
      fs.writeFileSync(path.join(out.path, env, 'main.tf'), hcl);
    }
    await commitOutputs(out);
  } finally {
    out.discard();
  }
  return files.map(({ env }) => path.join(outDir, env, 'main.tf'));
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('export-hcl', USAGE, {
    args: argv,
    options: { 'synth-dir': { type: 'string' }, out: { type: 'string' } },
    allowPositionals: false,
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const out = values.out ?? 'terraform-export';
  let fresh: string | undefined;
  // Ctrl-C or a kill removes the temporary synth (a signal during the synth is handled once it returns: before writing).
  const stopCleaningOnSignals = cleanUpOnSignals('export-hcl', 'temporary directories');
  try {
    // Before the synth: empty, a file, or below a file is one line (not files written into the current folder).
    checkOutputPath('out', out, 'dir');
    let synthDir = values['synth-dir'];
    if (synthDir === undefined) {
      const synth = workingTreeSynth();
      synthDir = synth.dir;
      if (synth.temporary) fresh = synth.dir;
    }
    await interruptPoint();
    for (const file of await exportHcl(synthDir, out)) console.log(`wrote ${file}`);
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
