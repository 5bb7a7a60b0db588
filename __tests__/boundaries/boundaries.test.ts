/**
 * The project's boundaries are a lint rule (scripts/eslint-boundaries.mjs): this plants forbidden imports in files of each folder
 * (virtual files, through ESLint's API, so nothing is written into the tree) and checks the lint fails with the
 * boundary's message, and that the allowed imports of the same folders pass.
 *
 * It also checks that eslint and prettier skip every folder git ignores: the tools make and remove such folders
 * (dist.lock/, cdktf.out.partial-<pid>/) while eslint walks the tree beside them in `npm test`, and eslint stopped with
 * ENOENT when one vanished mid-walk.
 *
 * ESLint loads its flat config with a dynamic import(), which jest's module sandbox refuses, so the linting runs in
 * one child Node process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

interface Planted {
  file: string;
  code: string;
}
interface Linted {
  file: string;
  messages: Array<{ ruleId: string | null; message: string }>;
}
interface Ignored {
  file: string;
  eslint: boolean;
  prettier: boolean;
}

const LINT_VIRTUAL = `
const { ESLint } = require('eslint');
const prettier = require('prettier');
(async () => {
  const { files, probes } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const eslint = new ESLint({ cwd: process.cwd() });
  const linted = [];
  for (const f of files) {
    const [r] = await eslint.lintText(f.code, { filePath: f.file, warnIgnored: true });
    linted.push({ file: f.file, messages: r.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })) });
  }
  const ignored = [];
  for (const file of probes) {
    const info = await prettier.getFileInfo(file, { ignorePath: '.prettierignore' });
    ignored.push({ file, eslint: await eslint.isPathIgnored(file), prettier: info.ignored });
  }
  process.stdout.write(JSON.stringify({ linted, ignored }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function lintVirtual(files: Planted[], probes: string[]): { linted: Linted[]; ignored: Ignored[] } {
  const r = spawnSync(process.execPath, ['-e', LINT_VIRTUAL], { cwd: root, input: JSON.stringify({ files, probes }), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`eslint child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as { linted: Linted[]; ignored: Ignored[] };
}

/** A TypeScript file inside each folder .gitignore names (`/dist.lock/` -> `dist.lock/planted.ts`; `*` -> `x1`). */
const gitIgnoredFolders = fs
  .readFileSync(path.join(root, '.gitignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.endsWith('/') && !line.startsWith('#'))
  .map((line) => `${line.replace(/^\//, '').replace(/\*/g, 'x1')}planted.ts`);

const TOOLS = 'Boundary: constructs/, catalog/, stacks/, environments/ and main.ts import nothing from tools/';
const CDKTF = 'Boundary: cdktf, constructs and the providers are imported only in constructs/, stacks/ and main.ts';
const PROVIDER_ROOT = 'Boundary: deep provider imports only';
const LIBRARY = 'Boundary: the gcp/ library imports nothing of the project';

/** [virtual file, code, the boundary message it must raise] */
const forbidden: Array<[string, string, string]> = [
  ['catalog/planted.ts', "import { run } from '../tools/cli';\nexport const x = run;\n", TOOLS],
  ['catalog/planted.ts', "import type { Finding } from '../tools/schema/types';\nexport type X = Finding;\n", TOOLS],
  ['environments/planted.ts', "export { DEFAULT_SYNTH_DIR } from '../tools/synth-output';\n", TOOLS],
  ['constructs/planted.ts', "import { lintApiResource } from '../tools/lint/index';\nexport const x = lintApiResource;\n", TOOLS],
  ['constructs/dashboards/planted.ts', "import { run } from '../../tools/cli';\nexport const x = run;\n", TOOLS],
  ['stacks/planted.ts', "import * as sim from '../tools/simulate/cli';\nexport const x = sim;\n", TOOLS],
  ['main.ts', "import { run } from './tools/cli';\nexport const x = run;\n", TOOLS],
  // The package root, spelled in two parts so a grep for root imports does not flag this planted case.
  ['constructs/planted.ts', `import { MonitoringDashboard } from '${'@cdktf/provider-'}google';\nexport const x = MonitoringDashboard;\n`, PROVIDER_ROOT],
  ['stacks/planted.ts', "import * as google from '@cdktf/provider-google/lib';\nexport const x = google;\n", PROVIDER_ROOT],
  ['tools/planted.ts', "import { App } from 'cdktf';\nexport const x = App;\n", CDKTF],
  ['catalog/planted.ts', "import { Construct } from 'constructs';\nexport const x = Construct;\n", CDKTF],
  ['environments/planted.ts', "import { Fn } from 'cdktf';\nexport const x = Fn;\n", CDKTF],
  ['constructs/dashboards/planted.ts', "import { Fn } from 'cdktf';\nexport const x = Fn;\n", CDKTF],
  [
    '__tests__/planted.test.ts',
    "import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';\nexport const x = MonitoringDashboard;\n",
    CDKTF,
  ],
  ['gcp/planted.ts', "import { signals } from '../catalog/signals';\nexport const x = signals;\n", LIBRARY],
  ['gcp/filter/planted.ts', "import type { EnvironmentConfig } from '../../environments/schema';\nexport type X = EnvironmentConfig;\n", LIBRARY],
  ['gcp/filter/planted.ts', "import { Dashboards } from '../../constructs/dashboards';\nexport const x = Dashboards;\n", LIBRARY],
  ['gcp/planted.ts', "import { lintApiResource } from '../tools/lint/index';\nexport const x = lintApiResource;\n", LIBRARY],
  ['gcp/planted.ts', "import { MonitoringStack } from '../stacks/monitoring-stack';\nexport const x = MonitoringStack;\n", LIBRARY],
  ['gcp/planted.ts', "import { synthesize } from '../main';\nexport const x = synthesize;\n", LIBRARY],
  ['gcp/planted.ts', "import { Fn } from 'cdktf';\nexport const x = Fn;\n", CDKTF],
  // Every way of naming a module, not only a static import, and relative names as they resolve, not as spelt.
  ['gcp/planted.ts', "export const x = () => import('../catalog/signals');\n", LIBRARY],
  ['gcp/planted.ts', 'export const x = () => import(`../tools/cli`);\n', LIBRARY],
  ['gcp/planted.ts', "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const x = require('../catalog/signals');\n", LIBRARY],
  ['gcp/filter/planted.ts', "import { signals } from '../zz/../../catalog/signals';\nexport const x = signals;\n", LIBRARY],
  ['gcp/filter/planted.ts', "import { signals } from '.././../catalog/signals';\nexport const x = signals;\n", LIBRARY],
  ['gcp/planted.ts', "export * from '../environments/schema';\n", LIBRARY],
  [
    'gcp/planted.ts',
    "// eslint-disable-next-line @typescript-eslint/no-require-imports\nimport signals = require('../catalog/signals');\nexport const x = signals;\n",
    LIBRARY,
  ],
  ['gcp/planted.ts', "export type X = import('../catalog/types').Signal;\n", LIBRARY],
  ['catalog/planted.ts', "export const x = () => import('../tools/cli');\n", TOOLS],
  ['scripts/planted.js', "module.exports = require('@cdktf/provider-google');\n", PROVIDER_ROOT],
  ['tools/planted.ts', "export const x = () => import('cdktf');\n", CDKTF],
];

const allowed: Array<[string, string]> = [
  [
    'constructs/planted.ts',
    "import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';\nimport { Fn } from 'cdktf';\nimport { Construct } from 'constructs';\nimport { alerts } from '../catalog/alerts';\nimport { renderDashboardJson } from './dashboards/render';\nexport const x = [MonitoringDashboard, Fn, Construct, alerts, renderDashboardJson];\n",
  ],
  ['main.ts', "import { App } from 'cdktf';\nimport { MonitoringStack } from './stacks/monitoring-stack';\nexport const x = [App, MonitoringStack];\n"],
  [
    'catalog/planted.ts',
    "import type { EnvironmentConfig } from '../environments/schema';\nimport { signals } from './signals';\nexport const x = signals;\nexport type X = EnvironmentConfig;\n",
  ],
  [
    'constructs/dashboards/planted.ts',
    "import { dashboards } from '../../catalog/dashboards';\nimport { layoutMosaic } from './mosaic';\nexport const x = [dashboards, layoutMosaic];\n",
  ],
  [
    'tools/planted.ts',
    "import { alerts } from '../catalog/alerts';\nimport { renderDashboardJson } from '../constructs/dashboards/render';\nexport const x = [alerts, renderDashboardJson];\n",
  ],
  [
    'gcp/filter/planted.ts',
    "import { parse } from './parser';\nimport { FACTS } from '../facts/metrics';\nimport * as fs from 'node:fs';\nexport const x = [parse, FACTS, fs];\n",
  ],
  // Names that only look like a crossing: they resolve inside the library, or to the construct file (not the folder
  // of pure builders) constructs/dashboards.ts.
  ['gcp/filter/planted.ts', "import { FACTS } from '../catalog/../facts/metrics';\nexport const x = () => import('../simulate/engine');\nexport { FACTS };\n"],
  ['constructs/dashboards.ts', "import { Construct } from 'constructs';\nimport { Fn } from 'cdktf';\nexport const x = [Construct, Fn];\n"],
];

const { linted: results, ignored } = lintVirtual(
  [...forbidden.map(([file, code]) => ({ file, code })), ...allowed.map(([file, code]) => ({ file, code }))],
  [...gitIgnoredFolders, 'catalog/alerts.ts'],
);

describe('boundaries (eslint.config.mjs)', () => {
  it.each(forbidden.map(([file, code, message], i) => [file, code.split('\n').find((line) => !line.startsWith('//')), message, i] as const))(
    '%s: `%s` fails the lint',
    (_file, _line, message, i) => {
      const found = results[i].messages;
      expect(found.map((m) => m.ruleId)).toEqual(['project/boundaries']);
      expect(found[0].message).toContain(message);
    },
  );

  it.each(allowed.map(([file], i) => [file, forbidden.length + i] as const))('%s: the allowed imports pass', (_file, i) => {
    expect(results[i].messages).toEqual([]);
  });

  it('the probe of git-ignored folders covers the transient ones', () => {
    expect(gitIgnoredFolders).toEqual(expect.arrayContaining(['dist.lock/planted.ts', 'cdktf.out.x1/planted.ts', 'dist/planted.ts']));
  });

  it.each(gitIgnoredFolders)('%s: eslint and prettier skip the folder, as git does', (file) => {
    expect(ignored.find((i) => i.file === file)).toEqual({ file, eslint: true, prettier: true });
  });

  it('a source is not ignored (the probe can tell)', () => {
    expect(ignored.find((i) => i.file === 'catalog/alerts.ts')).toEqual({ file: 'catalog/alerts.ts', eslint: false, prettier: false });
  });
});
