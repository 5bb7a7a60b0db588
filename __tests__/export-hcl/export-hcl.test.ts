/** The HCL export of every environment: complete, formatted as `terraform fmt` wants, expressions as HCL. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportHcl, run } from '../../tools/export-hcl/cli';
import { MAP_ATTRIBUTES, stringExpr, toHcl } from '../../tools/export-hcl/hcl';
import { ENVS, loadStack, synthDir } from '../support/synth';

/** These tests need terraform: without it they fail, they never skip. (Asked once per file: each asks again for nothing.) */
let terraformFound: boolean | undefined;
function requireTerraform(): void {
  terraformFound ??= spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
  if (!terraformFound)
    throw new Error('terraform is not on PATH: install terraform 1.11 (the workflow installs it with setup-terraform) to run the export checks');
}
let out: string;
const mainTf = (env: string) => fs.readFileSync(path.join(out, env, 'main.tf'), 'utf8');

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'export-hcl-test-'));
  await exportHcl(synthDir(), out);
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe.each(ENVS)('export of %s', (env) => {
  const stack = loadStack(env) as any;

  it('holds every resource and data source of the JSON synth, once', () => {
    const hcl = mainTf(env);
    const declared = (kind: string) => [...hcl.matchAll(new RegExp(`^${kind} "([^"]+)" "([^"]+)" \\{`, 'gm'))].map((m) => `${m[1]}.${m[2]}`).sort();
    const expected = (section: Record<string, Record<string, unknown>> = {}) =>
      Object.entries(section)
        .flatMap(([t, byName]) => Object.keys(byName).map((n) => `${t}.${n}`))
        .sort();
    expect(declared('resource')).toEqual(expected(stack.resource));
    expect(declared('data')).toEqual(expected(stack.data));
    expect(declared('resource').length).toBeGreaterThan(40);
  });

  it('keeps backend, providers and variables (sensitive kept)', () => {
    const hcl = mainTf(env);
    expect(hcl).toContain(`backend "gcs" {\n    bucket = "${stack.terraform.backend.gcs.bucket}"\n    prefix = "${stack.terraform.backend.gcs.prefix}"\n  }`);
    expect(hcl).toMatch(/required_providers \{\n {4}google = \{\n {6}source {2}= "[^"]+"\n {6}version = "6\.50\.0"/);
    expect(hcl).toMatch(/^provider "google" \{/m);
    for (const [name, v] of Object.entries<any>(stack.variable ?? {})) {
      const block = new RegExp(`variable "${name}" \\{[^}]*\\}`).exec(hcl)![0];
      if (v.sensitive) expect(block).toMatch(/sensitive\s+= true/);
      expect(block).toMatch(/type\s+= string\n/);
    }
  });

  it('writes references as expressions and nested blocks as blocks, maps as attributes', () => {
    const hcl = mainTf(env);
    expect(hcl).not.toMatch(/"\$\{google_[a-z_]+\.[a-z_]+\}"/);
    expect(hcl).toMatch(/depends_on += \[google_project_service\.[a-z_]+/);
    if (Object.values<any>(stack.resource.google_monitoring_alert_policy).some((p) => p.notification_channels?.length))
      expect(hcl).toMatch(/notification_channels = \[google_monitoring_notification_channel\.channel_[a-z_]+\.name/);
    expect(hcl).toMatch(/\n {2}conditions \{\n {4}display_name/);
    expect(hcl).toMatch(/\n {4}condition_threshold \{\n/);
    expect(hcl).toMatch(/\n {2}user_labels = \{\n/);
    expect(hcl).toMatch(/\n {2}label_extractors = \{\n/);
    expect(hcl).toMatch(/\n {2}monitored_resource \{\n {4}labels = \{\n/);
    expect(hcl).toMatch(/\n {2}metric_descriptor \{\n[\s\S]*?\n {4}labels \{\n {6}description/);
    // Prod's PagerDuty channel is the bootstrap stack's: read by a data source, no secret, no sensitive variable.
    if (env === 'prod') expect(hcl).toMatch(/notification_channels = \[\n {4}data\.google_monitoring_notification_channel\.channel_pagerduty\.name,\n/);
    expect(hcl).not.toMatch(/sensitive_labels|var\.pagerduty_service_key/);
  });

  it('is accepted by terraform fmt -check (fails without terraform on PATH)', () => {
    requireTerraform();
    const r = spawnSync('terraform', ['fmt', '-check', '-diff', path.join(out, env)], { encoding: 'utf8' });
    expect({ status: r.status, diff: r.stdout }).toEqual({ status: 0, diff: '' });
  });
});

describe('expressions and strings', () => {
  it('turns ${...} into HCL: bare when whole, template when mixed, escapes literal text', () => {
    expect(stringExpr('${var.x}', '')).toBe('var.x');
    expect(stringExpr('${element(split("/", google_x.y.id), 3)}', '')).toBe('element(split("/", google_x.y.id), 3)');
    expect(stringExpr('a "b" ${google_x.y.id}/c', '')).toBe('"a \\"b\\" ${google_x.y.id}/c"');
    expect(stringExpr('keep $${literal} and \\d', '')).toBe('"keep $${literal} and \\\\d"');
    expect(stringExpr('no\ttrailing\nnewline', '')).toBe('"no\\ttrailing\\nnewline"');
    expect(stringExpr('ESC\u001b[0m', '')).toBe('"ESC\\u001b[0m"');
    expect(stringExpr('# Title\n\nbody ${var.x}\n', '')).toBe('<<EOT\n# Title\n\nbody ${var.x}\nEOT');
    expect(stringExpr('EOT\nline\n', '')).toBe('<<EOT_\nEOT\nline\nEOT_');
  });

  it('round-trips strings through terraform (console)', () => {
    requireTerraform();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcl-rt-'));
    try {
      const values = ['a "quoted" \\ back\\slash', 'multi\nline\n', 'tab\there', '^[^ ]+ [0-9]{4} $${x}', 'ansi \u001b[33m'];
      const locals = Object.fromEntries(values.map((v, i) => [`v${i}`, v]));
      fs.writeFileSync(path.join(dir, 'main.tf'), toHcl({ locals } as any));
      // One console evaluates every local (one terraform start instead of one per value): a list of them, as JSON.
      const list = values.map((_, i) => `local.v${i}`).join(', ');
      const r = spawnSync('terraform', ['console'], { cwd: dir, input: `jsonencode([${list}])\n`, encoding: 'utf8' });
      expect(r.status).toBe(0);
      const printed = JSON.parse(JSON.parse(r.stdout.trim()));
      expect(printed).toEqual(values.map((v) => v.replace('$${', '${')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('map attributes', () => {
  it('match the provider bindings (cdktf.hashMapper attributes)', () => {
    const lib = path.resolve(__dirname, '../../node_modules/@cdktf/provider-google/lib');
    const time = path.resolve(__dirname, '../../node_modules/@cdktf/provider-time/lib');
    const types = new Set(ENVS.flatMap((e) => Object.keys((loadStack(e) as any).resource)));
    for (const type of types) {
      expect({ type, known: type in MAP_ATTRIBUTES }).toEqual({ type, known: true });
      const dir = type.startsWith('time_')
        ? path.join(time, type.replace(/^time_/, '').replace(/_/g, '-'))
        : path.join(lib, type.replace(/^google_/, '').replace(/_/g, '-'));
      const js = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      const lines = js.split('\n').filter((l) => l.includes('cdktf.hashMapper'));
      const maps = new Set(lines.map((l) => /(\w+): cdktf\.hashMapper/.exec(l)?.[1]).filter(Boolean));
      for (const attr of MAP_ATTRIBUTES[type]) expect({ type, attr, map: maps.has(attr.split('.').pop()!) }).toEqual({ type, attr, map: true });
      // Every top-level map attribute of the resource is listed.
      const topLevel = lines
        .map((l) => /^[ \t]+(\w+): cdktf\.hashMapper\(cdktf\.stringToTerraform\)\(this\._\w+\)/.exec(l)?.[1])
        .filter((a): a is string => !!a);
      for (const attr of topLevel) expect({ type, attr, listed: MAP_ATTRIBUTES[type].includes(attr) }).toEqual({ type, attr, listed: true });
    }
  });
});

describe('export-hcl CLI', () => {
  it('writes <out>/<env>/main.tf for every environment', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-cli-'));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await run(['--synth-dir', synthDir(), '--out', dir])).toBe(0);
      for (const env of ENVS) expect(fs.existsSync(path.join(dir, env, 'main.tf'))).toBe(true);
    } finally {
      log.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a synth dir without stacks and unknown options, exit 2', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await run(['--synth-dir', '/nonexistent/synth'])).toBe(2);
      expect(error.mock.calls[0][0]).toBe('export-hcl: /nonexistent/synth: not a directory');
      expect(await run(['--frobnicate'])).toBe(2);
    } finally {
      error.mockRestore();
    }
  });
});
