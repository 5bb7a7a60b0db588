/**
 * The README's generated sections, written from the catalog (kubernetes-mixin style: CI regenerates and fails on
 * any difference). Sections sit between `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`.
 */
import { RESOURCE_RULES, SCHEMA_RULES, STACK_RULES } from '../../gcp/lint';
import { alerts, resolveAlert, resolveAlerts } from '../../catalog/alerts';
import { dashboards } from '../../catalog/dashboards';
import { appCustomMetrics, planMetrics, signals } from '../../catalog/signals';
import { guardText } from '../../catalog/guards';
import type { SignalId } from '../../catalog/ids';
import { isSloCondition, type Signal } from '../../catalog/types';
import { loadEnvironments } from '../../environments';
import { loadPrices } from '../cost/prices';
import { growthTableMarkdown } from '../cost/table';
import type { TfJson } from '../shared/synth-dir';

/** Every `signal: "<id>"` a value mentions, however deeply nested (dashboards are free-form rows of tiles). */
function signalIdsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => signalIdsIn(v, into));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'signal' && typeof v === 'string') into.add(v);
      else signalIdsIn(v, into);
    }
  }
  return into;
}

let signalsByAlert: Map<string, Set<SignalId>> | undefined;
/** The signals each plan alert's conditions read in any environment (derived, as the alerts list none by hand). */
function planAlertSignals(): Map<string, Set<SignalId>> {
  if (!signalsByAlert) {
    const envs = loadEnvironments();
    signalsByAlert = new Map(alerts.map((a) => [a.id, new Set(envs.flatMap((env) => resolveAlert(a, env).signals))]));
  }
  return signalsByAlert;
}

export function usage(signalId: string): { alerts: string[]; dashboards: string[] } {
  return {
    alerts: alerts
      .filter((a) =>
        planAlertSignals()
          .get(a.id)!
          .has(signalId as SignalId),
      )
      .map((a) => a.displayName),
    dashboards: dashboards.filter((d) => signalIdsIn(d).has(signalId)).map((d) => d.title),
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const kindOf = (s: Signal) => `${s.metricKind} ${s.valueType}${s.unit && s.unit !== '1' ? ` (${s.unit})` : ''}`;
const labelsOf = (s: Signal) => (s.labels.length ? s.labels.map((l) => `\`${l.key}\``).join(', ') : '—');

export function planMetricsTable(): string {
  const rows = planMetrics.map((m) => {
    const used = m.signals.map(usage);
    const alertsUsing = [...new Set(used.flatMap((u) => u.alerts))];
    const dashboardsUsing = [...new Set(used.flatMap((u) => u.dashboards))];
    const sources = m.signals.length
      ? m.signals
          .map((id) => {
            const s = signals.find((x) => x.id === id)!;
            return `${s.source}: \`${s.metricType}\``;
          })
          .join('<br>')
      : `**no source yet** (descriptor \`custom.googleapis.com/vividly/${m.name}\` is the contract; nothing alerts on it)`;
    const types = m.signals.map((id) => kindOf(signals.find((x) => x.id === id)!));
    const labels = [...new Set(m.signals.flatMap((id) => signals.find((x) => x.id === id)!.labels.map((l) => `\`${l.key}\``)))];
    return `| \`${m.name}\` | ${cell(sources)} | ${[...new Set(types)].join('<br>') || 'GAUGE (app contract)'} | ${labels.join(', ') || '—'} | ${alertsUsing.join(', ') || '—'} | ${dashboardsUsing.join(', ') || '—'} | ${cell(m.notes)} |`;
  });
  return ['| plan metric | source | type | labels | alerts | dashboards | notes |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

export function signalsTable(): string {
  const rows = signals.map((s) => {
    const u = usage(s.id);
    const cardinality = s.labels
      .filter((l) => l.cardinality)
      .map((l) => `\`${l.key}\`: ${l.cardinality}`)
      .join('; ');
    return `| \`${s.id}\` | ${s.source} | \`${s.metricType}\` | ${kindOf(s)} | ${labelsOf(s)}${cardinality ? `<br>${cell(cardinality)}` : ''} | ${u.alerts.join(', ') || '—'} | ${u.dashboards.join(', ') || '—'} |`;
  });
  return ['| signal | source | metric | type | labels (cardinality bound) | alerts | dashboards |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

export function customMetricsTable(): string {
  const rows = appCustomMetrics.map(
    (m) =>
      `| \`custom.googleapis.com/vividly/${m.name}\` | GAUGE ${m.valueType} | ${m.labels.map((l) => `\`${l}\``).join(', ') || '—'} | ${m.written ? 'yes (lossy, see notes)' : '**no source yet**'} |`,
  );
  return ['| descriptor | kind | labels | written by the app today |', '|---|---|---|---|', ...rows].join('\n');
}

export function alertsTable(): string {
  const envs = loadEnvironments();
  // The plan's alerts, then the SLO burn-rate alerts (the same ids everywhere; described with prod's goals).
  const prod = envs.find((e) => e.name === 'prod') ?? envs[envs.length - 1];
  const rows = resolveAlerts(prod).map(({ spec }) => {
    const perEnv = envs.map((env) => {
      const r = resolveAlerts(env).find((a) => a.spec.id === spec.id)!;
      const p = r.params;
      // A guard's window is the alert's window, or the short window of a burn-rate alert (its guard condition).
      const guardCondition = r.conditions.find((c) => !isSloCondition(c) && /low-traffic guard/.test(c.displayName));
      const guard = p.minRequests && guardCondition && !isSloCondition(guardCondition) ? `, ${guardText(p.minRequests, guardCondition.alignmentSeconds)}` : '';
      return `${env.name}: ${p.threshold} / ${p.windowSeconds / 60} min / for ${p.durationSeconds / 60} min${guard}; ≤ ${Math.ceil(r.detectionDelaySeconds / 60)} min; → ${env.routing[spec.severity].join(' + ') || 'nobody'}`;
    });
    return `| **${spec.displayName}** | ${spec.severity} | ${spec.team} | ${cell(spec.firesWhen)} | ${perEnv.join('<br>')} | [runbooks/${spec.runbook}](runbooks/${spec.runbook}) |`;
  });
  return [
    '| alert | severity | owner | fires when | threshold / window / duration, detection delay, routing | runbook |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Prod's bill at 1x, 10x and 100x its traffic, from a synthesized prod stack. */
export function costSection(prodStack: TfJson): string {
  const [prod] = loadEnvironments(['prod']);
  return growthTableMarkdown(prod, prodStack, loadPrices());
}

export const GENERATED_SECTIONS: Record<string, () => string> = {
  'plan-metrics': planMetricsTable,
  signals: signalsTable,
  'custom-metrics': customMetricsTable,
  alerts: alertsTable,
  'lint-rules': lintRulesTable,
};

/** The lint's rules, from the library's registry (gcp/lint): id, severity, what it checks, where the fact comes from. */
export function lintRulesTable(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const severity = (r: { severity: string; severityNote?: string }) => (r.severityNote ? `${r.severity} (${esc(r.severityNote)})` : r.severity);
  const rows = [
    ...RESOURCE_RULES.map((r) => `| \`${r.id}\` | ${r.kinds.join(', ')} | ${severity(r)} | ${esc(r.summary)} | ${esc(r.source)} |`),
    ...STACK_RULES.map((r) => `| \`${r.id}\` | stack | ${r.severity} | ${esc(r.summary)} | ${esc(r.source)} |`),
    ...SCHEMA_RULES.map((r) => `| \`${r.id}\` | any | ${r.severity} | ${esc(r.summary)} | ${esc(r.source)} |`),
  ];
  return ['| rule | reads | severity | checks | source |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function regenerate(readme: string, extra: Record<string, () => string> = {}): string {
  const sections = { ...GENERATED_SECTIONS, ...extra };
  return readme.replace(
    /(<!-- BEGIN GENERATED: ([a-z0-9-]+) -->\n)[\s\S]*?(<!-- END GENERATED: \2 -->)/g,
    (_whole, begin: string, name: string, end: string) => {
      const make = sections[name];
      if (!make) throw new Error(`README.md: unknown generated section "${name}"`);
      return `${begin}${make()}\n${end}`;
    },
  );
}
