// The project's import boundaries as one ESLint rule (`project/boundaries`, issue 14, "Enforced, not hoped").
//
// Every way a file can name a module is checked: `import`, `import type`, `export … from`, `import x = require()`,
// a type's `import('…')`, a dynamic `import('…')` and `require('…')` with a literal name. A relative name is resolved
// against the importing file, so `'../zz/../../catalog/x'` is what it resolves to, and the boundary is a folder of the
// project, not a spelling. (`no-restricted-imports` saw only static imports, matched by regular expression.)
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Deep imports only: the provider's root and lib index load every resource class (seconds, hundreds of MB). */
const PROVIDER_ROOTS = new Set(['@cdktf/provider-google', '@cdktf/provider-google/lib', '@cdktf/provider-time', '@cdktf/provider-time/lib']);
const isCdktf = (name) => /^(cdktf|constructs|@cdktf\/[^/]+)(\/|$)/.test(name);

export const MESSAGES = {
  providerRoot: 'Boundary: deep provider imports only (`@cdktf/provider-google/lib/<resource>`), never the package root.',
  cdktf:
    'Boundary: cdktf, constructs and the providers are imported only in constructs/, stacks/ and main.ts (the pure dashboard builders in constructs/dashboards/ neither).',
  tools: 'Boundary: constructs/, catalog/, stacks/, environments/ and main.ts import nothing from tools/ (the CLIs); synth-path code lives on the synth side.',
  library: 'Boundary: the gcp/ library imports nothing of the project (catalog/, environments/, constructs/, stacks/, tools/, main): it must stand alone.',
};

/** The project path of a file (`constructs/dashboards/x.ts`), or undefined outside the project. */
function projectPath(file) {
  const rel = path.relative(ROOT, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}

/** What a module name points at: `{ project: 'catalog/signals' }` (resolved), `{ package: 'cdktf' }`, or nothing. */
function targetOf(name, importer) {
  if (name.startsWith('.')) {
    const project = projectPath(path.resolve(path.dirname(importer), name));
    return project === undefined ? undefined : { project };
  }
  return { package: name };
}

/** Whether project path `p` is in one of `folders` (`main` stands for main.ts, the one top-level module). */
const under = (p, ...folders) => folders.some((f) => (f === 'main' ? /^main(\.[cm]?[jt]s)?$/.test(p) : p === f || p.startsWith(`${f}/`)));
const SYNTH_SIDE = ['main', 'constructs', 'stacks'];

/** The boundary `target` crosses when imported from `from` (a project path), or undefined. */
function crossed(from, target) {
  if (target.package !== undefined) {
    if (PROVIDER_ROOTS.has(target.package)) return 'providerRoot';
    const synthSide = under(from, ...SYNTH_SIDE) && !under(from, 'constructs/dashboards');
    if (isCdktf(target.package) && !synthSide) return 'cdktf';
    return undefined;
  }
  const to = target.project;
  if (under(from, 'gcp')) return under(to, 'catalog', 'environments', 'constructs', 'stacks', 'tools', 'main') ? 'library' : undefined;
  if (under(from, 'main', 'constructs', 'stacks', 'catalog', 'environments') && under(to, 'tools')) return 'tools';
  return undefined;
}

/** The literal module name of an argument (`'x'` or `` `x` ``), else undefined. */
function literalName(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return undefined;
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'The folders of the project import only across the allowed boundaries' },
    messages: MESSAGES,
    schema: [],
  },
  create(context) {
    const from = projectPath(context.filename);
    if (from === undefined) return {};
    const check = (node, name) => {
      if (name === undefined) return;
      const target = targetOf(name, context.filename);
      const messageId = target && crossed(from, target);
      if (messageId) context.report({ node, messageId });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => check(node.source, literalName(node.source)),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' && check(node.moduleReference, literalName(node.moduleReference.expression)),
      TSImportType: (node) => check(node, literalName(node.argument?.literal ?? node.argument)),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, literalName(node.arguments[0]));
      },
    };
  },
};

export default { rules: { boundaries } };
