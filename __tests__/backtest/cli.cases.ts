/** CLI details: the progress line only on a terminal; --base REF compares with that ref's synth. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { progressLine, run } from '../../tools/backtest/cli';
import { synthDir } from '../support/synth';
import { clientOptions, startApiServer, type Json } from './api-server';
import { toRest } from './prod-week';

function stream(isTTY: boolean): { s: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  return {
    s: {
      isTTY,
      columns: 80,
      write: (x: string) => {
        written.push(x);
        return true;
      },
    } as unknown as NodeJS.WriteStream,
    written,
  };
}

describe('progress line', () => {
  test('drawn in place on stderr when it is a terminal, cut to the width', () => {
    const { s, written } = stream(true);
    const p = progressLine(s)!;
    p.show({
      query: 'series time series of projects/x (metric.type="run.googleapis.com/request_count" AND a very long filter that goes on and on)',
      pages: 3,
      points: 12345,
      entries: 0,
    });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\r\x1b\[Kbacktest: 3 page\(s\), 12,345 points, 0 entries - series/);
    expect(written[0].length).toBeLessThanOrEqual(4 + 79);
    // Erased before the result is printed.
    p.clear();
    expect(written[1]).toBe('\r\x1b[K');
  });

  test('nothing when stderr is not a terminal (CI logs stay clean)', () => {
    expect(progressLine(stream(false).s)).toBeUndefined();
  });
});

describe('--base REF', () => {
  test("compares with the ref's synth: HEAD's prod policies, one row each, the same counts as the working tree when the policies are unchanged", async () => {
    const series = toRest({
      metric: { type: 'run.googleapis.com/request_count', labels: { response_code: '200', response_code_class: '2xx' } },
      resource: { type: 'cloud_run_revision', labels: { service_name: 'prod-vividly-api' } },
      metricKind: 'DELTA',
      valueType: 'INT64',
      times: Array.from({ length: 600 }, (_, i) => Date.parse('2025-11-04T00:00:00Z') - 3600_000 + (i + 1) * 60_000),
      values: Array.from({ length: 600 }, () => 60),
      origin: 't',
    });
    const server = await startApiServer({ timeSeries: [series], entries: [], logMetrics: [], alertPolicies: [] });
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-base-'));
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await run(
        [
          '--env',
          'prod',
          '--synth-dir',
          synthDir(),
          '--base',
          'HEAD',
          '--from',
          '2025-11-04T00:00:00Z',
          '--to',
          '2025-11-04T06:00:00Z',
          '--now',
          '2025-11-05T00:00:00Z',
          '--cache',
          cache,
          '--json',
        ],
        { clientOptions: clientOptions(server.port), out: (x) => out.push(x), err: (x) => err.push(x) },
      );
      expect(err).toEqual([]);
      expect(code).toBe(0);
      const r = JSON.parse(out.join('\n')) as Json;
      expect(r.base.label).toBe('HEAD');
      expect(r.base.policies.map((p: Json) => p.displayName)).toEqual(r.head.policies.map((p: Json) => p.displayName));
      expect(r.base.policies.length).toBeGreaterThan(10);
      expect(r.base.policies.map((p: Json) => [p.incidents.length, p.error ?? null])).toEqual(
        r.head.policies.map((p: Json) => [p.incidents.length, p.error ?? null]),
      );
      expect(server.log.some((x) => x.method === 'alertPolicies')).toBe(false);
    } finally {
      await server.close();
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }, 120_000);
});
