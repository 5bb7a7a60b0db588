import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../tools/preview/cli';
import { escapeHtml } from '../../tools/preview/html';
import { dashboardJsons, synthDir } from '../support/synth';

const SYNOPSIS = /^usage: vividly-monitoring preview --env /;

describe('preview cli', () => {
  let errors: string[];
  let logs: string[];
  beforeEach(() => {
    errors = [];
    logs = [];
    jest.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m)));
    jest.spyOn(console, 'log').mockImplementation((m: unknown) => void logs.push(String(m)));
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['no --env', []],
    ['an unknown option', ['--env', 'prod', '--colour']],
    ['an unknown environment', ['--env', 'qa']],
    ['a positional argument', ['prod']],
  ])('exits 2 on %s: the message and the synopsis', async (_name, argv) => {
    expect(await run(argv)).toBe(2);
    expect(errors).toEqual([expect.stringMatching(/^preview: (option --env|Unknown option|Unexpected argument)/), expect.stringMatching(SYNOPSIS)]);
  });

  it('exits 2 on an empty --out: one line naming the option', async () => {
    expect(await run(['--env', 'prod', '--out', ''])).toBe(2);
    expect(errors).toEqual(['preview: option --out: must not be empty']);
  });

  it('checks --out before any work: a file, or a path below one, is one line naming the option, exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-out-'));
    try {
      const file = path.join(dir, 'a-file');
      fs.writeFileSync(file, 'kept');
      for (const [out, reason] of [
        [file, `${file}: exists and is not a directory`],
        [path.join(file, 'pages'), `${path.join(file, 'pages')}: ${file} is not a directory`],
      ]) {
        errors = [];
        expect(await run(['--env', 'dev', '--synth-dir', synthDir(), '--out', out])).toBe(2);
        expect(errors).toEqual([`preview: option --out: ${reason}`]);
      }
      expect(logs).toEqual([]);
      expect(fs.readdirSync(dir)).toEqual(['a-file']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--scenario with an alert test file (several YAML documents): named as one, with the command that runs it, exit 2', async () => {
    const file = path.join(__dirname, '..', '..', 'scenarios', 'alerts', 'high-error-rate.yaml');
    expect(await run(['--env', 'prod', '--synth-dir', synthDir(), '--json', '--scenario', file])).toBe(2);
    expect(errors).toEqual([
      `preview: ${file}: (root): this is an alert test file (several YAML documents), not a scenario: run it with \`vividly-monitoring simulate test ${file}\``,
    ]);
    expect(logs).toEqual([]);
  });

  it('writes no page when one environment cannot be previewed (all pages or none)', async () => {
    // dev synthesized, prod not: before, dev.html was written and then prod failed.
    const synth = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-half-'));
    try {
      fs.mkdirSync(path.join(synth, 'stacks', 'dev'), { recursive: true });
      fs.copyFileSync(path.join(synthDir(), 'stacks', 'dev', 'cdk.tf.json'), path.join(synth, 'stacks', 'dev', 'cdk.tf.json'));
      const out = path.join(synth, 'out');
      expect(await run(['--env', 'dev,prod', '--synth-dir', synth, '--out', out])).toBe(2);
      expect(errors).toEqual([expect.stringMatching(/no synthesized stack for "prod"/)]);
      expect(logs).toEqual([]);
      expect(fs.readdirSync(synth)).toEqual(['stacks']);
    } finally {
      fs.rmSync(synth, { recursive: true, force: true });
    }
  });

  it('exits 2 naming the file when the environment was not synthesized', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-empty-'));
    expect(await run(['--env', 'dev', '--synth-dir', empty, '--out', path.join(empty, 'out')])).toBe(2);
    expect(errors).toEqual([expect.stringMatching(/no synthesized stack for "dev" at .*stacks\/dev\/cdk\.tf\.json/)]);
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it('exits 2 naming the file when a synthesized stack is not JSON (not a bare "Unexpected end of JSON input")', async () => {
    const synth = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-broken-'));
    try {
      const file = path.join(synth, 'stacks', 'dev', 'cdk.tf.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '{"resource": {');
      for (const json of [false, true]) {
        errors = [];
        expect(await run(['--env', 'dev', '--synth-dir', synth, '--out', path.join(synth, 'out'), ...(json ? ['--json'] : [])])).toBe(2);
        expect(errors).toEqual([expect.stringMatching(new RegExp(`^preview: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON \\(.+\\)$`))]);
      }
      expect(logs).toEqual([]);
      expect(fs.readdirSync(synth)).toEqual(['stacks']);
    } finally {
      fs.rmSync(synth, { recursive: true, force: true });
    }
  });

  it('writes one self-contained page per environment from the synthesized dashboard_json', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-out-'));
    expect(await run(['--env', 'all', '--synth-dir', synthDir(), '--out', out])).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['dev.html', 'prod.html', 'staging.html']);
    for (const env of ['dev', 'staging', 'prod']) {
      const html = fs.readFileSync(path.join(out, `${env}.html`), 'utf8');
      // Self-contained: no stylesheet, script or image fetched from anywhere.
      expect(html).not.toMatch(/<link\b|<script[^>]+src=|<img\b|url\(|@import/i);
      expect(html).toContain('<pre id="layout-check" hidden>');
      for (const [name, raw] of Object.entries(dashboardJsons(env))) {
        const d = JSON.parse(raw);
        expect(html).toContain(`data-dashboard="${name}" data-columns="48" data-tiles="${d.mosaicLayout.tiles.length}"`);
        for (const tile of d.mosaicLayout.tiles) {
          const w = tile.widget;
          expect(html).toContain(`data-title="${escapeHtml(w.title)}"`);
          for (const ds of w.xyChart?.dataSets ?? []) {
            const f = ds.timeSeriesQuery.timeSeriesFilter ?? ds.timeSeriesQuery.timeSeriesFilterRatio.numerator;
            expect(html).toContain(escapeHtml(f.filter));
            // SLO selectors carry no aggregation.
            if (f.aggregation) expect(html).toContain(f.aggregation.perSeriesAligner);
          }
          for (const t of w.xyChart?.thresholds ?? []) expect(html).toContain(escapeHtml(t.label));
        }
      }
      // Text tiles are rendered as HTML, not shown as raw Markdown.
      expect(html).toMatch(/<strong>Is the API up, fast and error-free/);
    }
    expect(logs).toHaveLength(3);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
