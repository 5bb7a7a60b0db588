/**
 * `plan-summary --env NAME --json PLAN.json --text PLAN.txt [--out FILE]`: the markdown summary of one saved plan
 * (`terraform show -json tfplan > PLAN.json`, `terraform show -no-color tfplan > PLAN.txt`). Exit 2 on bad input.
 */
import * as fs from 'node:fs';
import { stripBom } from '../../gcp/text';
import { checkOutputPath, writeOutputFile } from '../shared/output';
import { parseCommandLine, usageError } from '../shared/usage';
import { planMarkdown } from './index';

const USAGE = `usage: vividly-monitoring plan-summary --env NAME --json PLAN.json --text PLAN.txt [--out FILE]
  --env NAME       the environment the plan is for (a heading)
  --json FILE      \`terraform show -json tfplan\` output
  --text FILE      \`terraform show -no-color tfplan\` output (collapsed under the summary)
  --out FILE       write the markdown here instead of stdout`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('plan-summary', USAGE, {
    args: argv,
    options: { env: { type: 'string' }, json: { type: 'string' }, text: { type: 'string' }, out: { type: 'string' } },
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (!values.env || !values.json || !values.text) {
    const missing = (['env', 'json', 'text'] as const).filter((option) => !values[option]);
    return usageError('plan-summary', USAGE, `${missing.length > 1 ? 'options' : 'option'} ${missing.map((option) => `--${option}`).join(', ')}: required`);
  }
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      throw new Error(`${file}: cannot be read`);
    }
  };
  try {
    if (values.out !== undefined) checkOutputPath('out', values.out, 'file');
    const raw = read(values.json);
    let plan: unknown;
    try {
      plan = JSON.parse(stripBom(raw));
    } catch (err) {
      throw new Error(`${values.json}: not valid JSON (${(err as Error).message})`, { cause: err });
    }
    let md: string;
    try {
      md = planMarkdown(values.env, plan as never, read(values.text));
    } catch (err) {
      throw new Error(`${values.json}: ${(err as Error).message}`, { cause: err });
    }
    if (values.out !== undefined) {
      // Written beside it and renamed into place: the pull-request comment never gets half a summary.
      await writeOutputFile('out', values.out, md);
    } else process.stdout.write(md);
    return 0;
  } catch (err) {
    console.error(`plan-summary: ${(err as Error).message.split('\n')[0]}`);
    return 2;
  }
}
