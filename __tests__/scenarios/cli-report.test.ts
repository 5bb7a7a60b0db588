/**
 * The CLI on the scenario files under scenarios/ against the real prod synth: --plot writes one SVG per scenario and
 * alert, --report a markdown table naming every alert; docs/simulation-report.md is that report and must be current.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../tools/simulate/cli';
import { slug } from '../../gcp/simulate/plot';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { stackPath, synthDir } from '../support/synth';

const root = path.resolve(__dirname, '..', '..');
const files = ['prod-5xx-storm.yaml', 'prod-api-down.yaml'].map((f) => path.join(root, 'scenarios', f));
const tableRows = (md: string) => md.split('\n').filter((l) => l.startsWith('|'));

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-report-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('--plot and --report on two scenario files: SVGs and the report mention each alert; exit 0', async () => {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const code = await run(['--env', 'prod', '--synth-dir', synthDir(), '--plot', path.join(dir, 'plots'), '--report', path.join(dir, 'report.md'), ...files]);
    expect(code).toBe(0);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  const alerts = loadPolicyFile(stackPath('prod')).policies.map((p) => p.displayName);
  const svgs = fs.readdirSync(path.join(dir, 'plots'));
  expect(svgs).toHaveLength(alerts.length * files.length);
  for (const name of ['prod 5xx storm (30 %)', 'prod API down']) {
    for (const a of alerts) {
      const f = `${slug(name)}--${slug(a)}.svg`;
      expect(svgs).toContain(f);
      const svg = fs.readFileSync(path.join(dir, 'plots', f), 'utf8');
      expect(svg).toContain('<svg');
      expect(svg.replace(/&amp;/g, '&')).toContain(a.replace(/&/g, '&'));
    }
  }
  const report = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
  for (const a of alerts) expect(report).toContain(`| ${a} |`);
  expect(report).toMatch(/\| Vividly API \(prod\): Service Down \| — \| 120 s \|/);
});

test('docs/simulation-report.md is the current CLI report of those scenarios (regenerate: see its header)', () => {
  const current = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
  const doc = fs.readFileSync(path.join(root, 'docs', 'simulation-report.md'), 'utf8');
  expect(tableRows(doc)).toEqual(tableRows(current));
});
