/**
 * `lint FILE... [--kind K] [--json]`: strict schema validation + platform-limit lint of synthesized cdk.tf.json or
 * API-format JSON (alert policy, uptime check, notification channel, log metric, metric descriptor, dashboard).
 * Exit 0 = clean (warnings allowed), 1 = at least one error finding, 2 = bad input or usage.
 */
import { readFileSync } from 'node:fs';
import { API_KINDS, isPlainObject, type ApiKind, type Finding } from '../../gcp/schema/types';
import { APP_CUSTOM_METRICS } from '../../catalog/known-metrics';
import { DEFAULT_KNOWN_METRICS, lintApiResource, lintSynth } from '../../gcp/lint';
import { stripBom } from '../../gcp/text';
import { parseCommandLine, usageError } from '../shared/usage';

type InputKind = ApiKind | 'synth';

const USAGE = `usage: vividly-monitoring lint FILE... [--kind synth|${API_KINDS.join('|')}] [--json]

Validates each file against Google's API descriptors and the platform limits of docs/reference/gcp-facts.md.
The kind is detected from the shape; pass --kind when it is ambiguous.
Exit code: 0 no errors, 1 error findings, 2 bad input.`;

const KIND_ALIASES: Record<string, InputKind> = {
  synth: 'synth',
  tf: 'synth',
  'cdk.tf.json': 'synth',
  ...Object.fromEntries(
    API_KINDS.flatMap((k) => [
      [k.toLowerCase(), k],
      [k.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase(), k],
    ]),
  ),
};

export function detectKind(json: unknown): { kind?: InputKind; reason?: string } {
  if (!isPlainObject(json)) return { reason: 'the top level is not a JSON object' };
  const has = (...keys: string[]) => keys.some((k) => k in json);
  const candidates: InputKind[] = [];
  if (has('resource')) candidates.push('synth');
  if (has('mosaicLayout', 'gridLayout', 'rowLayout', 'columnLayout', 'mosaic_layout', 'grid_layout', 'row_layout', 'column_layout'))
    candidates.push('Dashboard');
  if (has('conditions') && has('combiner')) candidates.push('AlertPolicy');
  if (has('httpCheck', 'tcpCheck', 'http_check', 'tcp_check', 'monitoredResource', 'monitored_resource', 'syntheticMonitor', 'synthetic_monitor'))
    candidates.push('UptimeCheckConfig');
  if (has('metricKind', 'metric_kind') && has('valueType', 'value_type') && has('type')) candidates.push('MetricDescriptor');
  if (has('filter') && has('name') && !has('conditions')) candidates.push('LogMetric');
  if (has('type') && has('labels') && !has('metricKind', 'metric_kind')) candidates.push('NotificationChannel');
  if (candidates.length === 1) return { kind: candidates[0] };
  return {
    reason: candidates.length === 0 ? 'cannot tell what kind of resource this is' : `ambiguous shape (could be ${candidates.join(' or ')})`,
  };
}

/** 1-based line/column of a JSON.parse failure: from the message when V8 gives a position, else by scanning. */
export function jsonErrorPosition(text: string, err: unknown): { offset: number; line: number; column: number } {
  const msg = err instanceof Error ? err.message : '';
  const m = /position (\d+)/.exec(msg);
  const offset = m ? Number(m[1]) : scanJsonError(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { offset, line, column };
}

/** Minimal JSON scanner returning the offset of the first syntax error (or text.length for unexpected end). */
function scanJsonError(s: string): number {
  let i = 0;
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') fail();
        string();
        ws();
        if (s[i] !== ':') fail();
        i++;
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '"') string();
    else {
      const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(s.slice(i, i + 400));
      if (!m) fail();
      else i += m[0].length;
    }
  };
  const string = (): void => {
    i++;
    while (i < s.length) {
      const c = s[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        if (!/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(s.slice(i + 1, i + 6))) {
          i++;
          fail();
        }
        i += s[i + 1] === 'u' ? 6 : 2;
        continue;
      }
      if (c < ' ') fail();
      i++;
    }
    fail();
  };
  try {
    value();
    ws();
    if (i < s.length) fail();
    return s.length;
  } catch (pos) {
    return typeof pos === 'number' ? pos : 0;
  }
}

interface FileFinding extends Finding {
  file: string;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('lint', USAGE, {
    args: argv,
    options: { kind: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0) return usageError('lint', USAGE, 'no input files: give one or more JSON files');
  let forced: InputKind | undefined;
  if (values.kind !== undefined) {
    forced = KIND_ALIASES[values.kind.toLowerCase()];
    if (!forced) return usageError('lint', USAGE, `option --kind: unknown kind "${values.kind}": choose from synth, ${API_KINDS.join(', ')}`);
  }

  let badInput = false;
  let linted = 0;
  const all: FileFinding[] = [];
  for (const file of positionals) {
    let text: string;
    try {
      text = stripBom(readFileSync(file, 'utf8'));
    } catch (err) {
      console.error(`${file}: cannot read: ${err instanceof Error ? err.message : String(err)}`);
      badInput = true;
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      const pos = jsonErrorPosition(text, err);
      console.error(
        `${file}: malformed JSON at line ${pos.line}, column ${pos.column} (position ${pos.offset}): ${err instanceof Error ? err.message : String(err)}`,
      );
      badInput = true;
      continue;
    }
    let kind = forced;
    if (!kind) {
      const detected = detectKind(json);
      if (!detected.kind) {
        console.error(`${file}: ${detected.reason}; pass --kind synth|${API_KINDS.join('|')}`);
        badInput = true;
        continue;
      }
      kind = detected.kind;
    }
    // The library knows Google's metrics; the app's custom metrics are this project's knowledge.
    const knownMetrics = { ...DEFAULT_KNOWN_METRICS, ...APP_CUSTOM_METRICS };
    const findings = kind === 'synth' ? lintSynth(json, { sourceName: file, knownMetrics }) : lintApiResource(kind, json, { knownMetrics });
    linted++;
    for (const f of findings) all.push({ ...f, file });
  }

  if (values.json) {
    console.log(JSON.stringify(all, null, 2));
  } else {
    for (const f of all) console.log(`${f.file}: ${f.path}: ${f.rule}: ${f.severity === 'warning' ? 'warning: ' : ''}${f.message}`);
    // The summary counts only the files that were linted: "0 error(s)" after a file that could not even be parsed
    // would read as a clean bill of health.
    const errors = all.filter((f) => f.severity === 'error').length;
    const skipped = positionals.length - linted;
    if (linted > 0)
      console.error(
        `lint: ${errors} error(s), ${all.length - errors} warning(s) in ${linted} file(s)${skipped ? `; ${skipped} file(s) not linted (see above)` : ''}`,
      );
    else console.error(`lint: nothing linted: ${skipped} file(s) could not be read (see above)`);
  }
  if (badInput) return 2;
  return all.some((f) => f.severity === 'error') ? 1 : 0;
}
