/** Where the synthesized stacks live: CDKTF writes `<synth dir>/stacks/<env>/cdk.tf.json`. Every tool reads them here. */
import * as path from 'node:path';

export const DEFAULT_SYNTH_DIR = 'cdktf.out';

export const stackFile = (synthDir: string, env: string): string => path.join(synthDir, 'stacks', env, 'cdk.tf.json');
