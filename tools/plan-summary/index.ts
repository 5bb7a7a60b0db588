/**
 * The plan's summary for the pull-request comment: per environment, what Terraform will create, update in place,
 * replace and destroy, read from `terraform show -json PLAN` (the "resource_changes" of Terraform's JSON output
 * format: developer.hashicorp.com/terraform/internals/json-format). Replacements come first: they lose history or
 * ids. The full human-readable plan (`terraform show PLAN`) follows, collapsed.
 */
export type Action = 'no-op' | 'create' | 'read' | 'update' | 'delete';
export interface PlanJson {
  format_version?: string;
  /** Always in a saved plan's JSON, even an empty one; a state's JSON has `values` instead. */
  planned_values?: unknown;
  errored?: boolean;
  /** Left out when nothing is planned at all. */
  resource_changes?: { address: string; mode?: string; change: { actions: Action[] }; action_reason?: string }[];
}
export type Kind = 'replace' | 'create' | 'update' | 'destroy';
export const KIND_ORDER: readonly Kind[] = ['replace', 'create', 'update', 'destroy'];

/** The kind of one change; undefined for no-op and data reads. */
export function kindOf(actions: readonly Action[]): Kind | undefined {
  const a = [...actions].sort().join(',');
  if (a === 'create,delete') return 'replace'; // delete-then-create or create-before-destroy
  if (a === 'create') return 'create';
  if (a === 'update') return 'update';
  if (a === 'delete') return 'destroy';
  return undefined;
}

const SAVED_PLAN = 'the JSON of a saved plan (`terraform show -json tfplan`)';

/**
 * Refuses what is not a whole saved plan, which would otherwise read as "No changes": any other JSON has no
 * resource_changes either (and a plan with nothing to do leaves them out).
 */
function checkIsPlan(plan: unknown): asserts plan is PlanJson {
  if (!plan || typeof plan !== 'object' || Array.isArray(plan)) throw new Error(`not ${SAVED_PLAN}: not a JSON object`);
  const p = plan as PlanJson & { values?: unknown };
  if (typeof p.format_version !== 'string' || !/^1\./.test(p.format_version)) {
    throw new Error(`field "format_version": ${JSON.stringify(p.format_version)}: not ${SAVED_PLAN}, whose format is 1.x`);
  }
  if (!p.planned_values || typeof p.planned_values !== 'object') {
    const what = p.values !== undefined ? 'a state (`terraform show -json` without a plan file)' : 'no "planned_values"';
    throw new Error(`field "planned_values": missing: ${what}, not ${SAVED_PLAN}`);
  }
  if (p.errored === true) throw new Error('field "errored": true: Terraform could not finish this plan, so it lists only part of the changes');
}

export function summarize(plan: PlanJson): Record<Kind, string[]> {
  checkIsPlan(plan);
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) {
    throw new Error('field "resource_changes": must be the array of `terraform show -json PLAN`');
  }
  const out: Record<Kind, string[]> = { replace: [], create: [], update: [], destroy: [] };
  for (const rc of plan.resource_changes ?? []) {
    if (!rc || typeof rc.address !== 'string' || !Array.isArray(rc.change?.actions))
      throw new Error('field "resource_changes[]": each needs "address" and "change.actions"');
    const kind = kindOf(rc.change.actions);
    if (kind) out[kind].push(rc.address);
  }
  for (const k of KIND_ORDER) out[k].sort();
  return out;
}

const LABEL: Record<Kind, string> = { replace: 'replace', create: 'create', update: 'update in place', destroy: 'destroy' };
const fence = (text: string) => {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
};

/** Markdown for one environment. */
export function planMarkdown(env: string, plan: PlanJson, planText: string): string {
  const s = summarize(plan);
  const counts = KIND_ORDER.map((k) => `${s[k].length} to ${LABEL[k]}`).join(', ');
  const lines = [`### Terraform plan: ${env}`, '', `**${counts}**`, ''];
  if (s.replace.length) {
    lines.push(`> [!WARNING]`, `> ${s.replace.length} replacement(s): each is destroyed and created again (new id, history restarts).`, '');
  }
  for (const k of KIND_ORDER) {
    if (!s[k].length) continue;
    lines.push(`${LABEL[k][0].toUpperCase()}${LABEL[k].slice(1)}:`, ...s[k].map((a) => `- \`${a}\``), '');
  }
  if (!KIND_ORDER.some((k) => s[k].length)) lines.push('No changes.', '');
  const f = fence(planText);
  lines.push('<details><summary>Full plan</summary>', '', f, planText.trimEnd(), f, '', '</details>', '');
  return lines.join('\n');
}
