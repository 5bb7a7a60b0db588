/**
 * Issue 15, "Fire drills that cannot surprise anyone": no plan for an environment without drills.allowed unless asked
 * (then the warning comes first), and `--write` against a network that does not answer stops after a timeout and
 * bounded retries with one line saying it could not connect. The network is a loopback server on 127.0.0.1 that
 * accepts connections and never answers, and a closed port of 127.0.0.1: the real Cloud Logging client, nothing else.
 */
import * as net from 'node:net';
import * as path from 'node:path';
import { run, type DrillDeps } from '../../tools/drill/cli';
import { createCloudLoggingWriter, describeWriteError, isConnectionError } from '../../tools/drill/writer';

function harness(extra: Partial<DrillDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const slept: number[] = [];
  const abandoned: number[] = [];
  const deps: Partial<DrillDeps> = {
    abandoned: () => abandoned.push(1),
    now: () => new Date('2025-11-12T18:00:20Z'),
    sleep: async (ms) => {
      slept.push(ms);
    },
    out: (l) => out.push(...l.split('\n')),
    err: (l) => err.push(...l.split('\n')),
    ...extra,
  };
  return { out, err, slept, abandoned, deps, synth: ['--synth-dir', process.env.SYNTH_DIR!] };
}

describe('an environment without drills.allowed (prod)', () => {
  it('is refused, plan included, in one line naming the flag (exit 2, nothing on stdout)', async () => {
    const h = harness({
      writer: async () => {
        throw new Error('must not be called');
      },
    });
    expect(await run(['--env', 'prod', '--alert', 'Brute Force Attack', ...h.synth], h.deps)).toBe(2);
    expect(h.out).toEqual([]);
    expect(h.err).toEqual([
      'drill: refusing to plan for prod (project vividly-prod): drills.allowed is false in environments/prod.ts; add --plan-disallowed to read the plan anyway (it never writes)',
    ]);
  });

  it('with --plan-disallowed prints the plan, the warning first (human and JSON)', async () => {
    const h = harness();
    expect(await run(['--env', 'prod', '--all', '--plan-disallowed', ...h.synth], h.deps)).toBe(0);
    const warning =
      'drill: WARNING: drills are NOT allowed in prod (project vividly-prod): drills.allowed is false in environments/prod.ts. This plan is for reading only: do not run its commands or write its entries against prod.';
    expect(h.err[0]).toBe(warning);
    expect(h.err.filter((l) => l.includes('$ '))).not.toEqual([]); // the commands are there, after the warning
    const j = harness();
    expect(await run(['--env', 'prod', '--all', '--plan-disallowed', '--json', ...j.synth], j.deps)).toBe(0);
    expect(j.err).toEqual([warning]);
    const doc = JSON.parse(j.out.join('\n'));
    expect(Object.keys(doc)[0]).toBe('warning');
    expect(doc.warning).toContain('drills are NOT allowed in prod');
  });

  it('--write stays refused even with --plan-disallowed; an allowed environment gets no warning', async () => {
    const h = harness({
      writer: async () => {
        throw new Error('must not be called');
      },
    });
    expect(await run(['--env', 'prod', '--alert', 'Brute Force Attack', '--plan-disallowed', '--write', ...h.synth], h.deps)).toBe(2);
    expect(h.err).toEqual(['drill: refusing to write to prod (project vividly-prod): drills.allowed is false in environments/prod.ts']);
    const s = harness();
    expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', ...s.synth], s.deps)).toBe(0);
    expect(s.err.some((l) => l.includes('WARNING'))).toBe(false);
  });
});

describe('--write without a working network', () => {
  /** A token that needs no network, so that the only connection is the one to the (loopback) Logging endpoint. */
  const authClient = () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the logging client's own copy of google-auth-library
    const { OAuth2Client } = require(require.resolve('google-auth-library', { paths: [path.dirname(require.resolve('@google-cloud/logging'))] }));
    const client = new OAuth2Client();
    client.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
    return client;
  };
  const loopbackWriter = (port: number) => (projectId: string) =>
    createCloudLoggingWriter(projectId, {}, { apiEndpoint: '127.0.0.1', port, authClient: authClient() });

  it('a server that never answers: a timeout per try, bounded retries, then one line "could not connect" (exit 1)', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s)); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      // 0.3 s a try: ample for a loopback connect (the sockets below show each try reached the server), short to wait.
      const h = harness({ writer: loopbackWriter(port), timeoutMs: 300, attempts: 2 });
      const started = Date.now();
      expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', '--write', '--json', ...h.synth], h.deps)).toBe(1);
      const elapsed = Date.now() - started;
      expect(sockets.length).toBeGreaterThan(0); // it really tried the loopback server
      expect(h.err).toHaveLength(1);
      expect(h.err[0]).toMatch(
        /^drill: could not connect to Cloud Logging to write to log run\.googleapis\.com\/(requests|stdout) in project vividly-staging \(2 tries, 0\.3 s each; last: no answer within 0\.3 s\): check the network/,
      );
      expect(h.slept).toEqual([2000]); // one pause between the two tries
      expect(h.abandoned).toHaveLength(1); // the CLI exits soon after, whatever sockets the client still holds
      expect(elapsed).toBeLessThan(30_000); // bounded: not "for ever"
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  }, 60_000);

  it('a closed port (connection refused): "could not connect", never "rejected the write"', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const h = harness({ writer: loopbackWriter(port), timeoutMs: 5000, attempts: 3 });
    expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', '--write', '--json', ...h.synth], h.deps)).toBe(1);
    expect(h.err).toHaveLength(1);
    expect(h.err[0]).toMatch(/^drill: could not connect to Cloud Logging .* \(3 tries, 5 s each; last: .*(ECONNREFUSED|No connection established|UNAVAILABLE)/);
    expect(h.err[0]).not.toMatch(/rejected/);
    expect(h.slept).toEqual([2000, 4000]);
    expect(h.abandoned).toHaveLength(0); // refused: nothing left hanging
  }, 60_000);

  it('a credentials step that hangs (a silent proxy) times out too', async () => {
    // Nothing here ever answers, whatever the timeout: 50 ms a try waits as surely as longer ones, for less time.
    const h = harness({ writer: () => new Promise(() => undefined), timeoutMs: 50, attempts: 2 });
    expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', '--write', '--json', ...h.synth], h.deps)).toBe(1);
    expect(h.err).toEqual([expect.stringMatching(/^drill: could not connect to Cloud Logging .*\(2 tries, 0\.05 s each; last: no answer within 0\.05 s\)/)]);
  });

  it.each([
    ['getaddrinfo ENOTFOUND logging.googleapis.com', { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND logging.googleapis.com' }],
    [
      'a token refresh that cannot resolve oauth2.googleapis.com',
      { message: 'request to https://oauth2.googleapis.com/token failed, reason: getaddrinfo ENOTFOUND oauth2.googleapis.com' },
    ],
    ['ECONNREFUSED', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:443' }],
    ['gRPC UNAVAILABLE', { code: 14, message: '14 UNAVAILABLE: No connection established' }],
    ['gRPC DEADLINE_EXCEEDED', { code: 4, message: '4 DEADLINE_EXCEEDED: Deadline exceeded' }],
  ])('%s is "could not connect", not "rejected"', (_name, err) => {
    expect(isConnectionError(err)).toBe(true);
    const line = describeWriteError(err, 'vividly-staging', 'projects/vividly-staging/logs/run.googleapis.com%2Fstdout');
    expect(line).toMatch(/^drill: could not connect to Cloud Logging to write to log run\.googleapis\.com\/stdout in project vividly-staging/);
  });

  it('an answer from the API stays an answer (permission, invalid argument): no retry', async () => {
    expect(isConnectionError({ code: 7, message: '7 PERMISSION_DENIED: denied' })).toBe(false);
    expect(isConnectionError({ code: 3, message: '3 INVALID_ARGUMENT: bad entry' })).toBe(false);
    let tries = 0;
    const h = harness({
      writer: async () => ({
        write: async () => {
          tries++;
          throw Object.assign(new Error('3 INVALID_ARGUMENT: bad entry'), { code: 3 });
        },
      }),
      attempts: 3,
    });
    expect(await run(['--env', 'staging', '--alert', 'Brute Force Attack', '--write', '--json', ...h.synth], h.deps)).toBe(1);
    expect(tries).toBe(1);
    expect(h.err).toEqual([expect.stringMatching(/^drill: Cloud Logging rejected the write/)]);
  });
});
