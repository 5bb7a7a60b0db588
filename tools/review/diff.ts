/**
 * Semantic diff of two synths (base → head) as markdown for a pull-request comment, from the synthesized JSON only.
 * A backend change (the Terraform state moves) is a warning at the top of its environment; access and paging changes
 * (IAM members, alert routing, notification channels) come first under "⚠ Access and paging", then providers, backend
 * and variables.
 */
import { canonical, FORCE_NEW, LOG_METRIC_RENAME, logMetricRenamed, plannedAction } from './replacements';
import type { TfJson } from '../shared/synth-dir';

type Rec = Record<string, any>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const block = (v: unknown): Rec | undefined => (Array.isArray(v) ? (isRec(v[0]) ? v[0] : undefined) : isRec(v) ? v : undefined);
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isRec) : isRec(v) ? [v] : []);
const code = (s: unknown) => `\`${String(s).replace(/`/g, "'")}\``;
const show = (v: unknown): string => (v === undefined ? '(unset)' : typeof v === 'string' ? code(v) : code(JSON.stringify(v)));
const resources = (stack: TfJson | undefined, type: string): Record<string, Rec> => (stack?.resource?.[type] ?? {}) as Record<string, Rec>;
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

export interface EnvDiff {
  env: string;
  /** For each resource in both synths whose configuration differs: update in place or replace, and why. */
  plan: string[];
  /** Changes that move or drop the Terraform state: shown first, as a warning. */
  warnings: string[];
  access: string[];
  sections: Array<{ title: string; lines: string[] }>;
  /** Stack added or removed as a whole. */
  stack?: 'added' | 'removed';
}

// ---------------------------------------------------------------------------------------------------------------
// Notification channels and routing

function channelLabel(stack: TfJson | undefined, ref: string): string {
  // A channel of this stack, or one it reads (`data.`: the bootstrap stack's secret-bearing channels).
  const m = /^\$\{(data\.)?google_monitoring_notification_channel\.([^.}]+)\.(?:name|id)\}$/.exec(ref);
  if (!m) return code(ref);
  const [, isData, id] = m;
  const pool: Record<string, Rec> = isData
    ? (stack?.data?.google_monitoring_notification_channel ?? {})
    : resources(stack, 'google_monitoring_notification_channel');
  const ch = pool[id];
  if (!ch) return code(id);
  const address = ch.labels?.email_address ?? ch.labels?.channel_name;
  return `${code(id)} (${ch.type}${address ? ` ${address}` : ''}${isData ? ', read from the bootstrap stack' : ''})`;
}

function channelChanges(base: TfJson | undefined, head: TfJson | undefined): string[] {
  const b = resources(base, 'google_monitoring_notification_channel');
  const h = resources(head, 'google_monitoring_notification_channel');
  const out: string[] = [];
  for (const id of union(b, h)) {
    const x = b[id];
    const y = h[id];
    if (!x) out.push(`Notification channel added: ${channelLabel(head, `\${google_monitoring_notification_channel.${id}.name}`)} "${y.display_name}"`);
    else if (!y) out.push(`Notification channel removed: ${channelLabel(base, `\${google_monitoring_notification_channel.${id}.name}`)} "${x.display_name}"`);
    else {
      const changes = fieldChanges(x, y, ['type', 'display_name', 'labels', 'enabled', 'user_labels', 'force_delete']);
      const bs = Object.keys(block(x.sensitive_labels) ?? {})
        .sort()
        .join(',');
      const hs = Object.keys(block(y.sensitive_labels) ?? {})
        .sort()
        .join(',');
      if (!same(x.sensitive_labels, y.sensitive_labels)) changes.push(`sensitive_labels (${bs || 'none'} → ${hs || 'none'}; values not shown)`);
      if (changes.length) out.push(`Notification channel changed: ${code(id)}: ${changes.join('; ')}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// IAM

function iamMembers(stack: TfJson | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, r] of Object.entries(resources(stack, 'google_project_iam_member'))) out.set(`${r.role} ${r.member}`, id);
  return out;
}

function iamChanges(base: TfJson | undefined, head: TfJson | undefined): string[] {
  const b = iamMembers(base);
  const h = iamMembers(head);
  const out: string[] = [];
  for (const [key, id] of h)
    if (!b.has(key)) out.push(`IAM member added: ${code(key.split(' ')[0])} → ${code(key.split(' ').slice(1).join(' '))} (${code(id)})`);
  for (const [key, id] of b)
    if (!h.has(key)) out.push(`IAM member removed: ${code(key.split(' ')[0])} → ${code(key.split(' ').slice(1).join(' '))} (${code(id)})`);
  // Authoritative IAM resources replace grants made elsewhere (gcp-facts §7.2): always flag them.
  for (const type of ['google_project_iam_binding', 'google_project_iam_policy']) {
    for (const id of union(resources(base, type), resources(head, type))) {
      const x = resources(base, type)[id];
      const y = resources(head, type)[id];
      if (!same(x, y)) out.push(`Authoritative ${code(type)} ${code(id)} ${!x ? 'added' : !y ? 'removed' : 'changed'} (it replaces grants made elsewhere)`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Alerts

const CONDITION_KINDS = [
  'condition_threshold',
  'condition_absent',
  'condition_matched_log',
  'condition_monitoring_query_language',
  'condition_prometheus_query_language',
];

function conditionFacts(c: Rec): Record<string, unknown> {
  const kind = CONDITION_KINDS.find((k) => c[k] !== undefined) ?? 'unknown';
  const body = block(c[kind]) ?? {};
  const agg = block(body.aggregations) ?? {};
  const den = block(body.denominator_aggregations) ?? {};
  return {
    kind: kind.replace('condition_', ''),
    threshold: body.threshold_value,
    comparison: body.comparison,
    duration: body.duration,
    window: agg.alignment_period,
    aligner: agg.per_series_aligner,
    reducer: agg.cross_series_reducer,
    'group by': agg.group_by_fields,
    filter: body.filter ?? body.query,
    'denominator filter': body.denominator_filter,
    'denominator window/alignment':
      den.alignment_period || den.per_series_aligner
        ? `${den.alignment_period ?? ''} ${den.per_series_aligner ?? ''} ${den.cross_series_reducer ?? ''}`.trim()
        : undefined,
    trigger: body.trigger,
    'evaluation interval': body.evaluation_interval,
  };
}

function alertTitle(r: Rec, id: string): string {
  return `**${r.display_name ?? id}** (${code(id)})`;
}

function alertChanges(base: TfJson | undefined, head: TfJson | undefined): { access: string[]; lines: string[] } {
  const b = resources(base, 'google_monitoring_alert_policy');
  const h = resources(head, 'google_monitoring_alert_policy');
  const access: string[] = [];
  const lines: string[] = [];
  for (const id of union(b, h)) {
    const x = b[id];
    const y = h[id];
    if (!x) {
      lines.push(
        `Added ${alertTitle(y, id)}: ${y.severity ?? 'no severity'}, ${list(y.conditions).length} condition(s), ${y.enabled === false ? 'disabled' : 'enabled'}`,
      );
      access.push(
        `Routing of new alert ${alertTitle(y, id)}: ${(y.notification_channels ?? []).map((c: string) => channelLabel(head, c)).join(', ') || 'notifies nobody'}`,
      );
      continue;
    }
    if (!y) {
      lines.push(`Removed ${alertTitle(x, id)}`);
      access.push(`Alert removed, it no longer pages: ${alertTitle(x, id)}`);
      continue;
    }
    const changes: string[] = [];
    for (const f of ['display_name', 'severity', 'enabled', 'combiner'])
      if (!same(x[f], y[f])) changes.push(`${f.replace('_', ' ')}: ${show(x[f])} → ${show(y[f])}`);
    if (!same(x.alert_strategy, y.alert_strategy)) changes.push(`alert strategy: ${show(canonical(x.alert_strategy))} → ${show(canonical(y.alert_strategy))}`);
    if (!same(block(x.documentation)?.content, block(y.documentation)?.content)) changes.push('documentation (runbook) text changed');
    const xc = list(x.conditions);
    const yc = list(y.conditions);
    for (let i = 0; i < Math.max(xc.length, yc.length); i++) {
      const name = (c: Rec) => `condition ${i + 1} "${c.display_name ?? ''}"`;
      if (!xc[i]) changes.push(`${name(yc[i])} added`);
      else if (!yc[i]) changes.push(`${name(xc[i])} removed`);
      else if (!same(xc[i], yc[i])) {
        const fx = conditionFacts(xc[i]);
        const fy = conditionFacts(yc[i]);
        const diffs = Object.keys(fy)
          .filter((k) => !same(fx[k], fy[k]))
          .map((k) => `${k} ${show(fx[k])} → ${show(fy[k])}`);
        if (xc[i].display_name !== yc[i].display_name) diffs.push(`name → "${yc[i].display_name}"`);
        changes.push(`${name(xc[i])}: ${diffs.join('; ') || 'other fields changed'}`);
      }
    }
    const bx = new Set<string>(x.notification_channels ?? []);
    const hy = new Set<string>(y.notification_channels ?? []);
    const added = [...hy].filter((c) => !bx.has(c)).map((c) => `+ ${channelLabel(head, c)}`);
    const removed = [...bx].filter((c) => !hy.has(c)).map((c) => `− ${channelLabel(base, c)}`);
    if (added.length || removed.length)
      access.push(`Routing of ${alertTitle(y, id)}: ${[...added, ...removed].join(', ')}${hy.size === 0 ? ' (now notifies nobody)' : ''}`);
    if (x.enabled !== false && y.enabled === false) access.push(`Alert disabled, it no longer pages: ${alertTitle(y, id)}`);
    if (changes.length) lines.push(`Changed ${alertTitle(y, id)}\n${changes.map((c) => `  - ${c}`).join('\n')}`);
  }
  return { access, lines };
}

// ---------------------------------------------------------------------------------------------------------------
// Generic per-resource diffs

function fieldChanges(x: Rec, y: Rec, fields?: string[]): string[] {
  const keys = fields ?? [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => k !== '//' && k !== 'depends_on').sort();
  return keys.filter((k) => !same(x[k], y[k])).map((k) => `${k}: ${show(canonical(x[k]))} → ${show(canonical(y[k]))}`);
}

function union(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function resourceChanges(base: TfJson | undefined, head: TfJson | undefined, type: string, describe: (r: Rec) => string, fields?: string[]): string[] {
  const b = resources(base, type);
  const h = resources(head, type);
  const out: string[] = [];
  for (const id of union(b, h)) {
    if (!b[id]) out.push(`Added ${describe(h[id])} (${code(id)})`);
    else if (!h[id]) out.push(`Removed ${describe(b[id])} (${code(id)})`);
    else {
      const changes = fieldChanges(b[id], h[id], fields);
      if (changes.length) out.push(`Changed ${describe(h[id])} (${code(id)})\n${changes.map((c) => `  - ${c}`).join('\n')}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Dashboards: tiles by title

function tileTitles(dashboardJson: unknown): string[] {
  let d: Rec;
  try {
    d = typeof dashboardJson === 'string' ? JSON.parse(dashboardJson) : (dashboardJson as Rec);
  } catch {
    return [];
  }
  if (!isRec(d)) return [];
  const widgets: Rec[] = [
    ...list(d.mosaicLayout?.tiles).map((t) => t.widget),
    ...list(d.gridLayout?.widgets),
    ...list(d.rowLayout?.rows).flatMap((r) => list(r.widgets)),
    ...list(d.columnLayout?.columns).flatMap((c) => list(c.widgets)),
  ].filter(isRec);
  return widgets.map((w, i) => String(w.title ?? `(untitled ${Object.keys(w).find((k) => k !== 'title') ?? 'widget'} #${i + 1})`));
}

function dashboardChanges(base: TfJson | undefined, head: TfJson | undefined): string[] {
  const b = resources(base, 'google_monitoring_dashboard');
  const h = resources(head, 'google_monitoring_dashboard');
  const title = (r: Rec, id: string) => {
    try {
      return `**${JSON.parse(r.dashboard_json).displayName ?? id}** (${code(id)})`;
    } catch {
      return code(id);
    }
  };
  const out: string[] = [];
  for (const id of union(b, h)) {
    if (!b[id]) out.push(`Added dashboard ${title(h[id], id)} with ${tileTitles(h[id].dashboard_json).length} tile(s)`);
    else if (!h[id]) out.push(`Removed dashboard ${title(b[id], id)}`);
    else if (!same(b[id], h[id])) {
      const bt = tileTitles(b[id].dashboard_json);
      const ht = tileTitles(h[id].dashboard_json);
      const count = (arr: string[]) => arr.reduce((m, t) => m.set(t, (m.get(t) ?? 0) + 1), new Map<string, number>());
      const bc = count(bt);
      const hc = count(ht);
      const details: string[] = [];
      for (const [t, n] of hc) for (let i = bc.get(t) ?? 0; i < n; i++) details.push(`tile added "${t}"`);
      for (const [t, n] of bc) for (let i = hc.get(t) ?? 0; i < n; i++) details.push(`tile removed "${t}"`);
      if (!details.length) details.push('tiles changed (same titles: queries, thresholds or layout)');
      out.push(`Changed dashboard ${title(h[id], id)}\n${details.map((d) => `  - ${d}`).join('\n')}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Providers, backend and variables (the `terraform`, `provider` and `variable` blocks)

function backendOf(stack: TfJson | undefined): { type: string; config: Rec } | undefined {
  const backend = block(block(stack?.terraform)?.backend);
  const type = backend && Object.keys(backend).find((k) => k !== '//');
  return type ? { type, config: block(backend[type]) ?? {} } : undefined;
}

function describeBackend(b: { type: string; config: Rec }): string {
  const c = b.config;
  const where =
    c.bucket !== undefined ? `${c.bucket}${c.prefix !== undefined ? `/${c.prefix}` : ''}` : (c.path ?? c.organization ?? JSON.stringify(canonical(c)));
  return `${b.type} ${code(where)}`;
}

/** Loud lines: a backend change moves the state; Terraform does not carry it over by itself. */
function backendWarnings(base: TfJson | undefined, head: TfJson | undefined): string[] {
  if (!base || !head) return [];
  const x = backendOf(base);
  const y = backendOf(head);
  if (same(x, y)) return [];
  if (x && y) {
    const fields = x.type === y.type ? fieldChanges(x.config, y.config) : [`type: ${code(x.type)} → ${code(y.type)}`];
    return [
      `**The Terraform state moves**: backend ${describeBackend(x)} → ${describeBackend(y)} (${fields.join('; ')}). ` +
        'Run `terraform init -migrate-state` before the next apply, or Terraform starts from an empty state and tries to create every resource again.',
    ];
  }
  if (x)
    return [
      `**The Terraform state moves**: backend ${describeBackend(x)} removed, the state would be local (\`terraform.tfstate\` on the machine that applies).`,
    ];
  return [`**The Terraform state moves**: backend ${describeBackend(y!)} added (the state was local). Run \`terraform init -migrate-state\` to carry it over.`];
}

/** Provider configurations by name and alias: `google`, `google.secondary`. */
function providerConfigs(stack: TfJson | undefined): Record<string, Rec> {
  const out: Record<string, Rec> = {};
  for (const [name, configs] of Object.entries(isRec(stack?.provider) ? stack!.provider : {})) {
    for (const c of list(configs)) out[c.alias ? `${name}.${c.alias}` : name] = c;
  }
  return out;
}

function variableFacts(v: Rec): string {
  const facts = [v.type !== undefined ? `type ${code(v.type)}` : undefined, v.sensitive ? 'sensitive' : 'not sensitive'];
  if (v.default !== undefined) facts.push(`default ${v.sensitive ? '(value not shown)' : show(v.default)}`);
  return facts.filter(Boolean).join(', ');
}

function configChanges(base: TfJson | undefined, head: TfJson | undefined): string[] {
  const out: string[] = [];
  const tb = block(base?.terraform) ?? {};
  const th = block(head?.terraform) ?? {};
  // Required providers: where they come from and which version.
  const rb = (block(tb.required_providers) ?? {}) as Record<string, Rec>;
  const rh = (block(th.required_providers) ?? {}) as Record<string, Rec>;
  const provider = (p: Rec | string) => (typeof p === 'string' ? code(p) : `${show(p.source)} ${show(p.version)}`);
  for (const name of union(rb, rh).filter((n) => n !== '//')) {
    if (!rb[name]) out.push(`Required provider added: ${code(name)} ${provider(rh[name])}`);
    else if (!rh[name]) out.push(`Required provider removed: ${code(name)} (was ${provider(rb[name])})`);
    else if (!same(rb[name], rh[name])) {
      const changes =
        typeof rb[name] === 'string' || typeof rh[name] === 'string' ? [`${provider(rb[name])} → ${provider(rh[name])}`] : fieldChanges(rb[name], rh[name]);
      out.push(`Required provider ${code(name)} changed: ${changes.join('; ')}`);
    }
  }
  // Other `terraform` settings (required_version, cloud, ...); the backend is a warning of its own.
  for (const key of union(tb, th).filter((k) => !['//', 'backend', 'required_providers'].includes(k))) {
    if (!same(tb[key], th[key])) out.push(`Terraform setting ${code(key)}: ${show(canonical(tb[key]))} → ${show(canonical(th[key]))}`);
  }
  if (!base || !head) {
    const only = backendOf(base ?? head);
    if (only) out.push(`Backend ${describeBackend(only)} (stack ${base ? 'removed' : 'added'})`);
  }
  // Provider configurations: project, region, ...
  const pb = providerConfigs(base);
  const ph = providerConfigs(head);
  for (const name of union(pb, ph)) {
    const facts = (c: Rec) =>
      fieldChanges({}, c)
        .map((f) => f.replace(/^([^:]+): \(unset\) → /, '$1 '))
        .join(', ') || 'no settings';
    if (!pb[name]) out.push(`Provider configuration added: ${code(name)} (${facts(ph[name])})`);
    else if (!ph[name]) out.push(`Provider configuration removed: ${code(name)} (was ${facts(pb[name])})`);
    else {
      const changes = fieldChanges(pb[name], ph[name]);
      if (changes.length) out.push(`Provider configuration ${code(name)} changed: ${changes.join('; ')}`);
    }
  }
  // Input variables: added, removed, the sensitive flag (a value no longer sensitive shows in plans and logs).
  const vb = (isRec(base?.variable) ? base!.variable : {}) as Record<string, Rec>;
  const vh = (isRec(head?.variable) ? head!.variable : {}) as Record<string, Rec>;
  for (const name of union(vb, vh)) {
    const x = vb[name];
    const y = vh[name];
    if (!x)
      out.push(
        `Variable added: ${code(name)} (${variableFacts(y)})${y.default === undefined ? ': every plan and apply now needs a value (TF_VAR_' + name + ')' : ''}`,
      );
    else if (!y) out.push(`Variable removed: ${code(name)} (was ${variableFacts(x)})`);
    else if (!same(x, y)) {
      const changes: string[] = [];
      if (!!x.sensitive !== !!y.sensitive) {
        changes.push(y.sensitive ? 'now sensitive' : '**no longer sensitive: its value shows in plan output and logs**');
      }
      for (const f of ['type', 'description', 'nullable', 'validation'])
        if (!same(x[f], y[f])) changes.push(`${f}: ${show(canonical(x[f]))} → ${show(canonical(y[f]))}`);
      if (!same(x.default, y.default))
        changes.push(
          x.sensitive || y.sensitive ? 'default changed (value not shown)' : `default: ${show(canonical(x.default))} → ${show(canonical(y.default))}`,
        );
      out.push(`Variable ${code(name)} changed: ${changes.join('; ') || 'other fields changed'}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

const HANDLED = new Set([
  'google_monitoring_notification_channel',
  'google_project_iam_member',
  'google_project_iam_binding',
  'google_project_iam_policy',
  'google_monitoring_alert_policy',
  'google_logging_metric',
  'google_logging_project_exclusion',
  'google_monitoring_uptime_check_config',
  'google_monitoring_dashboard',
]);

// ---------------------------------------------------------------------------------------------------------------
// What Terraform will do (tools/review/replacements.ts)

function plannedActions(base: TfJson | undefined, head: TfJson | undefined): { plan: string[]; warnings: string[] } {
  const plan: string[] = [];
  const warnings: string[] = [];
  const types = [...new Set([...Object.keys(base?.resource ?? {}), ...Object.keys(head?.resource ?? {})])].sort();
  for (const type of types) {
    const b = resources(base, type);
    const h = resources(head, type);
    for (const id of union(b, h)) {
      const address = code(`${type}.${id}`);
      if (!h[id]) {
        if (FORCE_NEW[type]?.admin) warnings.push(`**Removing ${address} needs an admin**: ${FORCE_NEW[type].admin}.`);
        continue;
      }
      if (!b[id] || same(withoutMeta(b[id]), withoutMeta(h[id]))) continue;
      const action = plannedAction(type, b[id], h[id]);
      if (logMetricRenamed(type, b[id], h[id])) {
        plan.push(`${address}: **new metric** (\`name\` ${show(b[id].name)} → ${show(h[id].name)}): ${LOG_METRIC_RENAME}`);
        warnings.push(`**Log-based metric renamed, ${address}**: ${show(b[id].name)} → ${show(h[id].name)}. ${LOG_METRIC_RENAME}.`);
      } else if (action.action === 'replace') {
        const why = `${action.fields.map(code).join(', ')} ${action.fields.length > 1 ? 'force' : 'forces'} replacement`;
        plan.push(`${address}: **replace** (${why})`);
        const facts = FORCE_NEW[type];
        if (facts.loses || facts.admin) {
          warnings.push(
            `**${address} will be replaced** (${why}): ${[facts.loses, facts.admin && `**needs an admin**: ${facts.admin}`].filter(Boolean).join('; ')}.`,
          );
        }
      } else if (action.action === 'update in place') {
        plan.push(`${address}: update in place`);
      } else {
        plan.push(`${address}: **unknown** (${action.reason}): check \`terraform plan\``);
      }
    }
  }
  return { plan, warnings };
}

/** A resource without its `//` metadata and depends_on, which Terraform does not plan as changes. */
function withoutMeta(r: Rec): Rec {
  return Object.fromEntries(Object.entries(r).filter(([k]) => k !== '//' && k !== 'depends_on'));
}

export function diffEnvironment(env: string, base: TfJson | undefined, head: TfJson | undefined): EnvDiff {
  const planned = plannedActions(base, head);
  const alerts = alertChanges(base, head);
  const access = [...iamChanges(base, head), ...alerts.access, ...channelChanges(base, head)];
  const types = [...new Set([...Object.keys(base?.resource ?? {}), ...Object.keys(head?.resource ?? {})])].filter((t) => !HANDLED.has(t)).sort();
  const sections = [
    { title: 'Providers, backend and variables', lines: configChanges(base, head) },
    { title: 'Alerts', lines: alerts.lines },
    {
      title: 'Log-based metrics and filters',
      lines: [
        ...resourceChanges(base, head, 'google_logging_metric', (r) => `log metric ${code(r.name)}`, [
          'filter',
          'label_extractors',
          'value_extractor',
          'metric_descriptor',
          'bucket_options',
          'disabled',
          'description',
        ]),
        ...resourceChanges(base, head, 'google_logging_project_exclusion', (r) => `log exclusion ${code(r.name)}`, ['filter', 'disabled', 'description']),
      ],
    },
    {
      title: 'Uptime checks',
      lines: resourceChanges(base, head, 'google_monitoring_uptime_check_config', (r) => `uptime check "${r.display_name}"`),
    },
    { title: 'Dashboards', lines: dashboardChanges(base, head) },
    {
      title: 'Other resources',
      lines: types.flatMap((t) => resourceChanges(base, head, t, () => code(t))),
    },
  ].filter((s) => s.lines.length);
  return {
    env,
    warnings: [...backendWarnings(base, head), ...planned.warnings],
    plan: planned.plan,
    access,
    sections,
    stack: !base ? 'added' : !head ? 'removed' : undefined,
  };
}

export const hasChanges = (d: EnvDiff) => d.warnings.length > 0 || d.access.length > 0 || d.sections.length > 0 || d.stack !== undefined;

/** The PR comment. One line when nothing changed. */
export function reviewMarkdown(diffs: EnvDiff[], labels: { base: string; head: string }): string {
  const changed = diffs.filter(hasChanges);
  if (!changed.length) return `No monitoring changes between ${labels.base} and ${labels.head}.`;
  const out: string[] = [`## Monitoring review: ${labels.base} → ${labels.head}`];
  for (const d of diffs) {
    out.push('', `### ${d.env}`);
    if (!hasChanges(d)) {
      out.push('', 'No changes.');
      continue;
    }
    if (d.stack) out.push('', `Stack ${d.stack} as a whole.`);
    for (const w of d.warnings) out.push('', `> ⚠ ${w}`);
    if (d.access.length) out.push('', '#### ⚠ Access and paging', '', ...d.access.map((l) => `- ${l}`));
    if (d.plan.length) out.push('', '#### What Terraform will do', '', ...d.plan.map((l) => `- ${l}`));
    for (const s of d.sections) out.push('', `#### ${s.title}`, '', ...s.lines.map((l) => `- ${l}`));
  }
  return out.join('\n');
}
