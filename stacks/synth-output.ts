/** Where the synthesized stacks live: CDKTF writes `<synth dir>/stacks/<env>/cdk.tf.json`. Every tool reads them here. */
import * as path from 'node:path';

export const DEFAULT_SYNTH_DIR = 'cdktf.out';

export const stackFile = (synthDir: string, env: string): string => path.join(synthDir, 'stacks', env, 'cdk.tf.json');

/** The bootstrap stack of an environment is synthesized beside it as `<env>-bootstrap` (stacks/bootstrap-stack.ts). */
export const BOOTSTRAP_SUFFIX = '-bootstrap';
export const bootstrapStackName = (env: string): string => `${env}${BOOTSTRAP_SUFFIX}`;
export const isBootstrapStack = (stack: string): boolean => stack.endsWith(BOOTSTRAP_SUFFIX);
