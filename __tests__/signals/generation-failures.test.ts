/**
 * Issue 15 "The real app's failures, counted once": every path that marks a content request failed writes
 * `Request failed: id=<uuid>, stage=<stage>, error=<message>` (ContentRequestService.set_error,
 * content_request_service.py:254-257) among its other lines; the deployed metric counts each path's failure exactly
 * once, labelled with the stage. The lines are the ones each path really writes (push_worker.py:465-498, 140; the
 * workers' basicConfig text on stderr in every environment, vividly-app.md §2.1), built with tools/shared/log-entries.ts.
 */
import { ENVS, deployedMetrics } from './support';
import { appJsonEntry, appTextEntry, workerEntry, type Env } from '../support/log-entries';
import type { LogEntry } from '../../gcp/logging-query';

const REQ = '5b0c2f6e-8d41-4a7b-9c3e-2f1d0a9b8c7d';
const MSG = '13579246801357';

/** The lines of one failing delivery, in the order the worker writes them. */
function pathLines(env: Env, path: 'unexpected status' | 'exception' | 'invalid JSON'): LogEntry[] {
  const w = (msg: string, level: 'INFO' | 'WARNING' | 'ERROR', logger = 'app.workers.push_worker') => workerEntry(env, msg, level, { logger });
  const start = [
    w(`Processing push message: message_id=${MSG}, request_id=${REQ}, correlation_id=req_3f9a1c7e5b2d4f60`, 'INFO'),
    w(`Processing content request: request_id=${REQ}, correlation_id=req_3f9a1c7e5b2d4f60, query='Explain photosynthesis with basketball...'`, 'INFO'),
  ];
  const retry = w(`Message ${MSG} processing failed, will retry`, 'WARNING');
  const setError = (stage: string, error: string) =>
    w(`Request failed: id=${REQ}, stage=${stage}, error=${error}`, 'ERROR', 'app.services.content_request_service');
  switch (path) {
    case 'unexpected status':
      return [
        ...start,
        w(
          '[gen_a1b2c3d4e5f60718] Content generation failed: 429 Resource exhausted. Please try again later.',
          'ERROR',
          'app.services.content_generation_service',
        ),
        w(`Request ${REQ}: Unexpected generation status: failed`, 'ERROR'),
        setError('content_generation', 'Unexpected generation status: failed'),
        retry,
      ];
    case 'exception':
      return [
        ...start,
        w(`Request ${REQ} failed: (psycopg2.OperationalError) server closed the connection unexpectedly`, 'ERROR'),
        // exc_info: the traceback follows on stderr, one entry per line
        workerEntry(env, 'Traceback (most recent call last):', 'ERROR'),
        setError('content_generation', '(psycopg2.OperationalError) server closed the connection unexpectedly'),
        retry,
      ];
    case 'invalid JSON':
      return [
        ...start,
        w('Invalid JSON in message: Expecting value: line 1 column 1 (char 0)', 'ERROR'),
        setError('message_parsing', 'Invalid JSON: Expecting value: line 1 column 1 (char 0)'),
        retry,
      ];
  }
}

function count(env: Env, entries: LogEntry[]): { n: number; stages: string[] } {
  const m = deployedMetrics(env).get('content_generation_failures')!;
  const stages: string[] = [];
  for (const e of entries) {
    const r = m.evaluate(e);
    if (r.matched) stages.push(String(r.labels.stage));
  }
  return { n: stages.length, stages };
}

describe.each(ENVS)('%s: content generation failures', (env) => {
  it.each([
    ['unexpected status', 'content_generation'],
    ['exception', 'content_generation'],
    ['invalid JSON', 'message_parsing'],
  ] as const)('the %s path counts once, with stage %s', (path, stage) => {
    expect(count(env, pathLines(env, path))).toEqual({ n: 1, stages: [stage] });
  });

  it('the invalid-JSON path, which the old push-worker lines missed, is counted', () => {
    const old = /Request [^ :]+(: Unexpected generation status: | failed: )/;
    const lines = pathLines(env, 'invalid JSON');
    expect(lines.some((e) => old.test(String(e.textPayload)))).toBe(false);
    expect(count(env, lines).n).toBe(1);
  });

  it('a stage outside the known list is still counted, with an empty stage (bounded labels)', () => {
    const e = workerEntry(env, `Request failed: id=${REQ}, stage=None, error=boom`, 'ERROR', { logger: 'app.services.content_request_service' });
    expect(count(env, [e])).toEqual({ n: 1, stages: [''] });
  });

  it('the same text printed by the API (JSON or coloured text) is not a worker failure', () => {
    const text = `Request failed: id=${REQ}, stage=content_generation, error=boom`;
    const logger = 'app.services.content_request_service';
    const api = [appJsonEntry(env, text, { severity: 'ERROR', logger }), appTextEntry(env, text, { level: 'ERROR', logger })];
    expect(count(env, api).n).toBe(0);
  });
});
