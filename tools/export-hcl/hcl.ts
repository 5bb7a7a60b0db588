/**
 * Terraform JSON (cdk.tf.json) → Terraform native syntax (HCL), formatted as `terraform fmt` would.
 *
 * Block or attribute is decided from the JSON shape and the provider schema: an array of objects is a repeated
 * nested block, an object is a nested block unless the schema says the attribute is a map (MAP_ATTRIBUTES, taken
 * from the `cdktf.hashMapper` attributes of @cdktf/provider-google 16.12.1 / @cdktf/provider-time 11.0.1). Strings are
 * Terraform templates in both syntaxes: a string that is exactly `${expr}` becomes the bare expression, others stay
 * quoted templates (literal parts escaped), and multi-line strings ending in a newline become heredocs.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Attributes (dotted paths inside a resource or data source) whose JSON object is a map, not a block. Checked against
 * the provider bindings by the export test.
 */
export const MAP_ATTRIBUTES: Record<string, string[]> = {
  google_monitoring_alert_policy: ['user_labels', 'conditions.condition_prometheus_query_language.labels', 'conditions.condition_matched_log.label_extractors'],
  google_monitoring_notification_channel: ['labels', 'user_labels'],
  google_monitoring_uptime_check_config: ['user_labels', 'monitored_resource.labels', 'http_check.headers'],
  google_logging_metric: ['label_extractors'],
  google_monitoring_dashboard: [],
  google_monitoring_metric_descriptor: [],
  google_project_service: [],
  google_project_iam_member: [],
  google_logging_project_bucket_config: [],
  google_logging_project_exclusion: [],
  google_monitoring_slo: ['user_labels'],
  google_monitoring_custom_service: ['user_labels'],
  time_sleep: ['triggers'],
  google_project: ['labels', 'effective_labels', 'terraform_labels'],
};

/** Attributes that are maps wherever they appear (used for types not in MAP_ATTRIBUTES). */
const ALWAYS_MAPS = new Set(['labels', 'user_labels', 'label_extractors', 'triggers', 'tags', 'headers']);

/** Meta-arguments whose strings are references, never templates. */
const REFERENCE_LISTS = new Set(['depends_on']);

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

// ---------------------------------------------------------------------------------------------------------------
// Strings

/** Splits a template into literal text and `${…}` expressions (quotes and braces inside expressions respected). */
export function splitTemplate(s: string): Array<{ literal: string } | { expr: string }> {
  const parts: Array<{ literal: string } | { expr: string }> = [];
  let lit = '';
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i)) {
      lit += '$${';
      i += 3;
      continue;
    }
    if (s.startsWith('${', i)) {
      let depth = 1;
      let j = i + 2;
      let quote = false;
      while (j < s.length && depth > 0) {
        const c = s[j];
        if (quote) {
          if (c === '\\') j++;
          else if (c === '"') quote = false;
        } else if (c === '"') quote = true;
        else if (c === '{') depth++;
        else if (c === '}') depth--;
        j++;
      }
      if (depth !== 0) {
        lit += s.slice(i);
        break;
      }
      if (lit) parts.push({ literal: lit });
      lit = '';
      parts.push({ expr: s.slice(i + 2, j - 1) });
      i = j;
      continue;
    }
    lit += s[i];
    i++;
  }
  if (lit) parts.push({ literal: lit });
  return parts;
}

function escapeLiteral(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** A quoted HCL string (template) for a Terraform-JSON string. */
export function quoted(s: string): string {
  return `"${splitTemplate(s)
    .map((p) => ('expr' in p ? `\${${p.expr}}` : escapeLiteral(p.literal)))
    .join('')}"`;
}

/** A heredoc when the string is multi-line text that a heredoc reproduces exactly; else undefined. */
function heredoc(s: string, indent: string): string | undefined {
  if (!s.includes('\n') || !s.endsWith('\n')) return undefined;
  // Control characters other than newline/tab cannot be written literally.
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s)) return undefined;
  const lines = s.slice(0, -1).split('\n');
  let tag = 'EOT';
  while (lines.some((l) => l.trim() === tag)) tag += '_';
  void indent;
  return `<<${tag}\n${lines.join('\n')}\n${tag}`;
}

/** A Terraform-JSON string as an HCL expression. */
export function stringExpr(s: string, indent: string, allowHeredoc = true): string {
  const parts = splitTemplate(s);
  if (parts.length === 1 && 'expr' in parts[0]) return parts[0].expr.trim();
  if (allowHeredoc) {
    const doc = heredoc(s, indent);
    if (doc) return doc;
  }
  return quoted(s);
}

// ---------------------------------------------------------------------------------------------------------------
// Values and bodies

const INDENT = '  ';

function keyText(k: string): string {
  return IDENT.test(k) ? k : quoted(k);
}

/** A JSON value as an HCL expression (maps and lists of values; never blocks). */
export function valueExpr(v: Json, indent: string, ctx: { references?: boolean } = {}): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return JSON.stringify(v);
  if (typeof v === 'string') {
    if (ctx.references) {
      const parts = splitTemplate(v);
      if (parts.length === 1 && 'expr' in parts[0]) return parts[0].expr.trim();
      return v;
    }
    return stringExpr(v, indent);
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => valueExpr(x, indent + INDENT, { ...ctx, references: ctx.references }));
    const oneLine = `[${items.join(', ')}]`;
    if (!items.some((x) => x.includes('\n')) && oneLine.length + indent.length <= 120) return oneLine;
    return `[\n${items.map((x) => `${indent}${INDENT}${x},`).join('\n')}\n${indent}]`;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return '{}';
  const lines = keys.map((k) => ({ key: keyText(k), value: valueExpr(v[k], indent + INDENT) }));
  return `{\n${alignAttributes(lines, indent + INDENT).join('\n')}\n${indent}}`;
}

/**
 * `key = value` lines aligned like `terraform fmt` (hclwrite): consecutive single-line attributes share the `=` column;
 * a value opening a multi-line bracket is never aligned and breaks the run; a heredoc counts as one line.
 */
function alignAttributes(attrs: Array<{ key: string; value: string }>, indent: string): string[] {
  const out: string[] = [];
  let run: Array<{ key: string; value: string }> = [];
  const flush = () => {
    const width = Math.max(0, ...run.map((a) => a.key.length));
    for (const a of run) out.push(`${indent}${a.key.padEnd(width)} = ${a.value}`);
    run = [];
  };
  for (const a of attrs) {
    if (a.value.includes('\n') && !a.value.startsWith('<<')) {
      flush();
      out.push(`${indent}${a.key} = ${a.value}`);
    } else run.push(a);
  }
  flush();
  return out;
}

export interface BodyContext {
  /** The resource or data source type (for map attributes), if any. */
  type?: string;
  /** Dotted path of this body inside the resource. */
  path?: string;
}

function isMapAttribute(ctx: BodyContext, key: string): boolean {
  const path = ctx.path ? `${ctx.path}.${key}` : key;
  const known = ctx.type ? MAP_ATTRIBUTES[ctx.type] : undefined;
  if (known) return known.includes(path);
  return ALWAYS_MAPS.has(key);
}

/** The body of a block: attributes first (in key order), then nested blocks. */
export function body(obj: Obj, indent: string, ctx: BodyContext = {}): string[] {
  const attrs: Array<{ key: string; value: string }> = [];
  const blocks: string[][] = [];
  for (const key of Object.keys(obj)) {
    if (key === '//') continue;
    const v = obj[key];
    const childPath = ctx.path ? `${ctx.path}.${key}` : key;
    if (Array.isArray(v) && v.length > 0 && v.every(isObj)) {
      for (const item of v) blocks.push(blockLines(key, [], item, indent, { type: ctx.type, path: childPath }));
    } else if (isObj(v) && !isMapAttribute(ctx, key)) {
      blocks.push(blockLines(key, [], v, indent, { type: ctx.type, path: childPath }));
    } else {
      const reference = REFERENCE_LISTS.has(key) || (key === 'provider' && !ctx.path && typeof v === 'string');
      attrs.push({ key, value: valueExpr(v, indent, { references: reference }) });
    }
  }
  const lines = alignAttributes(attrs, indent);
  for (const b of blocks) {
    if (lines.length) lines.push('');
    lines.push(...b);
  }
  return lines;
}

export function blockLines(type: string, labels: string[], obj: Obj, indent: string, ctx: BodyContext = {}): string[] {
  const head = [type, ...labels.map((l) => quoted(l))].join(' ');
  const inner = body(obj, indent + INDENT, ctx);
  if (!inner.length) return [`${indent}${head} {`, `${indent}}`];
  return [`${indent}${head} {`, ...inner, `${indent}}`];
}

// ---------------------------------------------------------------------------------------------------------------
// A whole cdk.tf.json

/** A variable's `type`: a type expression, not a string. */
function variableBody(v: Obj): string[] {
  const attrs: Array<{ key: string; value: string }> = [];
  for (const [k, val] of Object.entries(v)) {
    if (k === '//') continue;
    if (k === 'type' && typeof val === 'string') attrs.push({ key: k, value: val.replace(/^\$\{(.*)\}$/s, '$1') });
    else if (k === 'validation' && Array.isArray(val)) continue;
    else attrs.push({ key: k, value: valueExpr(val, INDENT) });
  }
  const lines = alignAttributes(attrs, INDENT);
  const validations = Array.isArray(v.validation) ? v.validation.filter(isObj) : [];
  for (const val of validations) lines.push('', ...blockLines('validation', [], val, INDENT));
  return lines;
}

const normalizeList = (v: Json | undefined): Obj[] => (Array.isArray(v) ? v.filter(isObj) : isObj(v) ? [v] : []);

/** The whole stack as one main.tf. */
export function toHcl(stack: Obj, header?: string): string {
  const out: string[] = [];
  const emit = (lines: string[]) => {
    if (out.length) out.push('');
    out.push(...lines);
  };
  if (header) out.push(...header.split('\n').map((l) => `# ${l}`.trimEnd()));

  const terraform = isObj(stack.terraform) ? stack.terraform : {};
  const tfAttrs: Obj = {};
  const tfBlocks: string[][] = [];
  for (const [k, v] of Object.entries(terraform)) {
    if (k === 'backend' && isObj(v)) {
      for (const [kind, cfg] of Object.entries(v)) if (isObj(cfg)) tfBlocks.push(blockLines('backend', [kind], cfg, INDENT));
    } else if (k === 'required_providers' && isObj(v)) {
      const providers = Object.entries(v).map(([name, req]) => ({ key: keyText(name), value: valueExpr(req, INDENT + INDENT) }));
      tfBlocks.push([`${INDENT}required_providers {`, ...alignAttributes(providers, INDENT + INDENT), `${INDENT}}`]);
    } else if (k === 'cloud' && isObj(v)) tfBlocks.push(blockLines('cloud', [], v, INDENT));
    else tfAttrs[k] = v;
  }
  const tfLines = alignAttributes(
    Object.entries(tfAttrs).map(([k, v]) => ({ key: k, value: valueExpr(v, INDENT) })),
    INDENT,
  );
  for (const b of tfBlocks) {
    if (tfLines.length) tfLines.push('');
    tfLines.push(...b);
  }
  emit(['terraform {', ...tfLines, '}']);

  for (const [name, configs] of Object.entries(isObj(stack.provider) ? stack.provider : {})) {
    for (const cfg of normalizeList(configs)) emit(blockLines('provider', [name], cfg, ''));
  }
  for (const [name, v] of Object.entries(isObj(stack.variable) ? stack.variable : {})) {
    if (isObj(v)) emit([`variable ${quoted(name)} {`, ...variableBody(v), '}']);
  }
  if (isObj(stack.locals)) emit(['locals {', ...body(stack.locals, INDENT), '}']);
  for (const [type, byName] of Object.entries(isObj(stack.data) ? stack.data : {})) {
    for (const [name, cfg] of Object.entries(isObj(byName) ? byName : {})) if (isObj(cfg)) emit(blockLines('data', [type, name], cfg, '', { type }));
  }
  for (const [type, byName] of Object.entries(isObj(stack.resource) ? stack.resource : {})) {
    for (const [name, cfg] of Object.entries(isObj(byName) ? byName : {})) if (isObj(cfg)) emit(blockLines('resource', [type, name], cfg, '', { type }));
  }
  for (const [name, cfg] of Object.entries(isObj(stack.module) ? stack.module : {})) if (isObj(cfg)) emit(blockLines('module', [name], cfg, ''));
  for (const [name, cfg] of Object.entries(isObj(stack.output) ? stack.output : {})) if (isObj(cfg)) emit(blockLines('output', [name], cfg, ''));
  return `${out.join('\n')}\n`;
}
