/**
 * Every alert policy of every synthesized environment (SYNTH_DIR from the jest global setup) either simulates or is
 * reported as an explicit, named error. The per-alert scenario suite builds on this loader.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPolicyFile } from '../../tools/simulate/policies';
import { simulateScenario } from '../../tools/simulate/simulate';
import { scenario } from './helpers';
import { isBootstrapStack } from '../../stacks/synth-output';

const synth = process.env.SYNTH_DIR;
const envs = synth && fs.existsSync(path.join(synth, 'stacks')) ? fs.readdirSync(path.join(synth, 'stacks')).filter((e) => !isBootstrapStack(e)) : [];
const stacks = envs.map((e) => [e, path.join(synth!, 'stacks', e, 'cdk.tf.json')] as const).filter(([, f]) => fs.existsSync(f));

(stacks.length ? describe : describe.skip)('synthesized stacks', () => {
  test.each(stacks.length ? stacks : [['none', '']])('%s: every policy simulates or names its error', (_env, file) => {
    const set = loadPolicyFile(file);
    const r = simulateScenario(set, scenario({}));
    for (const p of r.policies) {
      if (p.error) expect(p.error).toContain(`policy "${p.displayName}"`);
      else expect(typeof p.fired).toBe('boolean');
    }
  });
});
