/**
 * Catalog cross-references are typed (catalog/ids.ts): the id lists match the definitions one to one, an alert's
 * signals are derived from its conditions, and a misspelt id in the real catalog files fails to compile (the files
 * are compiled with a planted typo through TypeScript's API, next to an unmodified compile that must be clean). The
 * constructs name no signal of their own: they read the catalog's (an SLO's SLI is its catalog entry's signal).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { resolveAlerts, signalsRead } from '../../catalog/alerts';
import { dashboards } from '../../catalog/dashboards';
import { BURN_WINDOW_IDS, DASHBOARD_IDS, SIGNAL_IDS, SLO_IDS } from '../../catalog/ids';
import { signals } from '../../catalog/signals';
import { BURN_RATE_WINDOWS, SLOS } from '../../catalog/slos';
import { loadEnvironments } from '../../environments';
import { CACHE } from '../support/caches';

const root = path.resolve(__dirname, '..', '..');

describe('the id lists of catalog/ids.ts', () => {
  it('name exactly the signals, dashboards, SLOs and burn-rate windows defined, in their order', () => {
    expect([...SIGNAL_IDS]).toEqual(signals.map((s) => s.id));
    expect([...DASHBOARD_IDS]).toEqual(dashboards.map((d) => d.id));
    expect([...SLO_IDS]).toEqual(SLOS.map((s) => s.id));
    expect([...BURN_WINDOW_IDS]).toEqual(BURN_RATE_WINDOWS.map((w) => w.id));
  });
});

describe("an alert's signals", () => {
  it('are derived from its conditions: queries, denominators and an SLO condition’s SLI, first use first, once each', () => {
    expect(
      signalsRead([
        { displayName: 'a', sloBurnRate: { slo: 'latency', lookbackSeconds: 3600 }, comparison: 'COMPARISON_GT', threshold: 1, durationSeconds: 0 },
        {
          displayName: 'b',
          query: { signal: 'tracked_route_requests', aligner: 'ALIGN_DELTA' },
          denominator: { signal: 'api_requests', aligner: 'ALIGN_DELTA' },
          alignmentSeconds: 60,
          comparison: 'COMPARISON_GT',
          threshold: 0.1,
          durationSeconds: 0,
        },
        {
          displayName: 'c',
          query: { signal: 'api_latency', aligner: 'ALIGN_DELTA' },
          alignmentSeconds: 60,
          comparison: 'COMPARISON_GT',
          threshold: 1,
          durationSeconds: 0,
        },
      ]),
    ).toEqual(['api_latency', 'tracked_route_requests', 'api_requests']);
  });

  it.each(loadEnvironments().map((e) => [e.name, e] as const))('%s: are what each alert reads', (_name, env) => {
    const read = Object.fromEntries(resolveAlerts(env).map((a) => [a.spec.id, a.signals]));
    expect(read).toEqual({
      bruteForceAttack: ['lockouts', 'auth_rejections_by_ip'],
      ddosAttempt: ['api_requests'],
      serviceDown: ['uptime_passed'],
      highErrorRate: ['api_requests'],
      elevatedRateLimiting: ['api_requests'],
      performanceDegradation: ['api_latency'],
      databaseConnectionIssues: ['db_connections', 'db_connection_errors'],
      authenticationFailuresSpike: ['tracked_route_requests'],
      pushWorkerDown: ['worker_uptime_passed'],
      slo_availability_fast_burn: ['api_requests'],
      slo_availability_medium_burn: ['api_requests'],
      slo_availability_slow_burn: ['api_requests'],
      slo_latency_fast_burn: ['api_latency', 'api_requests'],
      slo_latency_medium_burn: ['api_latency', 'api_requests'],
      slo_latency_slow_burn: ['api_latency', 'api_requests'],
    });
  });
});

/** [file, the text to misspell (must occur exactly once), its misspelling, the misspelt id] */
const TYPOS: Array<[string, string, string, string]> = [
  ['catalog/alerts.ts', "query: { signal: 'lockouts',", "query: { signal: 'lockuots',", 'lockuots'],
  [
    'catalog/alerts.ts',
    "runbook: 'ddos-attempt.md',\n    dashboard: 'rate-limiting',",
    "runbook: 'ddos-attempt.md',\n    dashboard: 'rate-limitting',",
    'rate-limitting',
  ],
  ['catalog/dashboards.ts', "series: [line(q('lockouts', 'ALIGN_DELTA'", "series: [line(q('lockout', 'ALIGN_DELTA'", 'lockout'],
  ['catalog/dashboards.ts', "thresholds: [{ alert: 'ddosAttempt' }]", "thresholds: [{ alert: 'ddosAtempt' }]", 'ddosAtempt'],
  ['catalog/dashboards.ts', 'sloId: slo.id, lookbackSeconds', "sloId: 'availabilty', lookbackSeconds", 'availabilty'],
  ['catalog/signals.ts', "signals: ['generation_duration']", "signals: ['generation_durations']", 'generation_durations'],
  ['catalog/slos.ts', "signals: ['api_requests']", "signals: ['api_reqests']", 'api_reqests'],
];

/**
 * Compiles the catalog's files, with `replace` applied to their text; returns the errors in every file of the
 * program (the catalog files and all they import).
 * Without Node's type declarations (`types: []`; tsconfig.json has `['node']`): nothing the catalog imports uses
 * Node, and @types/node was two thirds of the text the compiler parsed here. Since every file of the program is
 * checked and only the typos' errors may appear, an import that needed Node's types would fail this test, never
 * pass it silently.
 * Incremental, as `tsc --incremental` is: the compiler keeps each file's diagnostics in a build-info file under
 * node_modules/.cache, keyed by a hash of every file's text and the options, and checks again only the files whose
 * text (or whose imports' declarations) changed. The typos are the same text each run, so a run after one that saw
 * the same catalog checks nothing again: 2.2 s of a worker's CPU became 0.65 s (Node 22). A build-info file that is
 * missing, partly written or unreadable costs a full compile, never a wrong verdict (the compiler reads it as none).
 */
function compileCatalog(replace: typeof TYPOS): Array<{ file: string; line: number; text: string }> {
  const files = [...new Set(TYPOS.map(([f]) => f))].map((f) => path.join(root, f));
  const cache = path.join(CACHE, 'catalog-typos');
  fs.mkdirSync(cache, { recursive: true });
  const options: ts.CompilerOptions = {
    ...ts.convertCompilerOptionsFromJson(JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')).compilerOptions, root).options,
    noEmit: true,
    incremental: true,
    tsBuildInfoFile: path.join(cache, 'catalog.tsbuildinfo'),
    types: [],
  };
  const host = ts.createIncrementalCompilerHost(options);
  const texts = new Map<string, string>();
  for (const [file, from, to] of replace) {
    const full = path.join(root, file);
    const text = texts.get(full) ?? fs.readFileSync(full, 'utf8');
    if (text.split(from).length !== 2) throw new Error(`${file}: the planted typo's site ${JSON.stringify(from)} is not there exactly once`);
    texts.set(full, text.replace(from, to));
  }
  // Through readFile, so the compiler hashes the planted text as it hashes every file's.
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => texts.get(path.resolve(name)) ?? readFile(name);
  const program = ts.createIncrementalProgram({ rootNames: files, options, host });
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getSemanticDiagnostics(),
  ];
  program.emit(); // with noEmit: the build-info file only
  return diagnostics.map((d) => ({
    file: path.relative(root, d.file?.fileName ?? '?'),
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

describe('a misspelt id in the catalog', () => {
  // The unmodified files compile cleanly: `npm run build` (tsc over catalog/) runs before jest in `npm test`. One
  // compile of the files with every typo planted (a few seconds), so each error is also checked to be a typo's.
  it('fails to compile, at the line of each typo and naming it, and nowhere else', () => {
    const errors = compileCatalog(TYPOS);
    const expected = TYPOS.map(([file, from, , typo]) => {
      const line = fs.readFileSync(path.join(root, file), 'utf8').split(from)[0].split('\n').length + (from.split('\n').length - 1);
      return { file, line, typo };
    });
    const found = expected.map(({ file, line, typo }) => ({
      file,
      line,
      typo,
      rejected: errors.some((e) => e.file === file && e.line === line && e.text.includes(`"${typo}"`)),
    }));
    expect(found).toEqual(expected.map((e) => ({ ...e, rejected: true })));
    expect(errors).toHaveLength(TYPOS.length);
  });
});
