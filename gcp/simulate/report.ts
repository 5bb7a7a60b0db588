/** Text table, `--json` document and `--report` markdown for simulation results. */
import type { PolicyResult, ScenarioResult } from './engine';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export interface JsonAlert {
  fired: boolean | null;
  firstFiredAt: string | null;
  detectionSeconds: number | null;
  /** Only present when the policy could not be evaluated. */
  error?: string;
  /** Only present for `enabled: false` policies. */
  disabled?: true;
  /** Only present (true) when the alert fired before the incident started: detectionSeconds is negative. */
  firedBeforeIncident?: true;
}

/** A detection delay as text; a negative one (the alert fired before the incident) says so. */
export function detectionText(seconds: number | null, unit = 's'): string {
  if (seconds === null) return '-';
  return seconds < 0 ? `${seconds}${unit} (fired ${-seconds}${unit} BEFORE the incident)` : `${seconds}${unit}`;
}

export interface JsonOutput {
  scenarios: { name: string; alerts: Record<string, JsonAlert> }[];
}

/** The `--json` document: `{"scenarios":[{"name", "alerts": {"<display name>": {fired, firstFiredAt, detectionSeconds}}}]}`. */
export function toJson(results: ScenarioResult[]): JsonOutput {
  return {
    scenarios: results.map((r) => ({
      name: r.name,
      alerts: Object.fromEntries(
        r.policies.map((p) => {
          const a: JsonAlert = { fired: p.fired, firstFiredAt: iso(p.firstFiredAt), detectionSeconds: p.detectionSeconds };
          if (p.error) a.error = p.error;
          if (p.disabled) a.disabled = true;
          if (p.detectionSeconds !== null && p.detectionSeconds < 0) a.firedBeforeIncident = true;
          return [uniqueName(r.policies, p), a];
        }),
      ),
    })),
  };
}

/** Display names are not unique (gcp-facts §1.3): later duplicates get " (2)", " (3)"… */
function uniqueName(all: PolicyResult[], p: PolicyResult): string {
  const same = all.filter((x) => x.displayName === p.displayName);
  if (same.length === 1) return p.displayName;
  const i = same.indexOf(p);
  return i === 0 ? p.displayName : `${p.displayName} (${i + 1})`;
}

function status(p: PolicyResult): string {
  if (p.error) return 'ERROR';
  return p.fired ? 'FIRED' : 'no';
}

function pad(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((x, c) => x.padEnd(w[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatTable(r: ScenarioResult): string {
  const head = [
    `scenario: ${r.name}  (${r.file})`,
    `window ${iso(r.start)} .. ${iso(r.end)}${r.incidentStart !== null ? `, incident at ${iso(r.incidentStart)}` : ''}`,
  ];
  const rows = [['alert', 'fired', 'first firing', 'detection', 'notes']];
  for (const p of r.policies) {
    const notes = [
      p.disabled ? 'disabled' : '',
      p.notifications ? `notifications ${p.notifications.sent} sent, ${p.notifications.suppressed} rate-limited` : '',
    ]
      .filter(Boolean)
      .join('; ');
    rows.push([uniqueName(r.policies, p), status(p), iso(p.firstFiredAt) ?? '-', detectionText(p.detectionSeconds), notes]);
  }
  const out = [...head, pad(rows)];
  for (const p of r.policies) if (p.error) out.push(`  error: ${p.error}`);
  if (r.expectationFailures.length) out.push('expectations FAILED:', ...r.expectationFailures.map((f) => `  - ${f}`));
  else out.push('expectations: ok');
  return out.join('\n');
}

/** `--report`: markdown table of detection delays, one row per alert, one column per scenario. */
export function formatMarkdownReport(results: ScenarioResult[]): string {
  const names: string[] = [];
  for (const r of results)
    for (const p of r.policies) {
      const n = uniqueName(r.policies, p);
      if (!names.includes(n)) names.push(n);
    }
  const cell = (r: ScenarioResult, n: string): string => {
    const p = r.policies.find((x) => uniqueName(r.policies, x) === n);
    if (!p) return '';
    if (p.error) return 'error';
    if (!p.fired) return '—';
    return p.detectionSeconds !== null ? detectionText(p.detectionSeconds, ' s') : `fired ${iso(p.firstFiredAt)}`;
  };
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '# Alert detection delays',
    '',
    "Seconds from the scenario's `incidentStart` to the first evaluation at which the policy opens an incident " +
      '(— = did not fire, error = the policy cannot be simulated, a negative delay = fired BEFORE the incident; see `npm run simulate` output).',
    '',
    `| alert | ${results.map((r) => esc(r.name)).join(' | ')} |`,
    `|---|${results.map(() => '---').join('|')}|`,
    ...names.map((n) => `| ${esc(n)} | ${results.map((r) => cell(r, n)).join(' | ')} |`),
  ];
  const failures = results.filter((r) => r.expectationFailures.length);
  if (failures.length) {
    lines.push('', '## Expectation failures', '');
    for (const r of failures) for (const f of r.expectationFailures) lines.push(`- **${esc(r.name)}**: ${f}`);
  }
  return lines.join('\n') + '\n';
}
