#!/usr/bin/env node
// Lints GitHub Actions workflows with GitHub's own parser (@actions/workflow-parser, the schema and expression
// checks of the Actions language service): schema, expressions, job graph (`needs` cycles and unknown jobs), cron.
// usage: node scripts/lint-workflows.mjs [FILE ...]   (default: every .github/workflows/*.yml)
// Prints `file:line:col: message` per error; exit 1 when any, 2 on usage errors (an unreadable file).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'node:module';

// The parser imports its JSON schema without an import attribute, which Node (20 and 22) refuses: add it.
register(
  'data:text/javascript,' +
    encodeURIComponent(
      "export async function load(url, context, next) { return next(url, url.endsWith('.json') ? { ...context, importAttributes: { type: 'json' } } : context); }",
    ),
);
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import('@actions/workflow-parser');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let files = process.argv.slice(2);
if (!files.length) {
  const dir = path.join(root, '.github', 'workflows');
  files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

let errors = 0;
for (const file of files) {
  let content;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (err) {
    console.error(`lint-workflows: ${file}: cannot be read (${err.code ?? err.message})`);
    process.exit(2);
  }
  const trace = new NoOperationTraceWriter();
  const parsed = parseWorkflow({ name: file, content }, trace);
  const found = [...parsed.context.errors.getErrors()];
  if (parsed.value && !found.length) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    found.push(...(template.errors ?? []).map((e) => ({ message: e.Message ?? String(e) })));
  }
  for (const e of found) {
    const message = String(e.message ?? e.rawMessage);
    // Messages carry their own "(Line: N, Col: M)"; use it as the location, not the file's name again.
    const at = /\(Line: (\d+), Col: (\d+)\): /.exec(message);
    const where = at ? `${at[1]}:${at[2]}` : e.range ? `${e.range.start.line}:${e.range.start.column}` : '1:1';
    console.log(`${path.relative(process.cwd(), file)}:${where}: ${at ? message.slice(at.index + at[0].length) : message}`);
    errors++;
  }
}
if (errors) {
  console.log(`lint-workflows: ${errors} error(s)`);
  process.exit(1);
}
console.log(`lint-workflows: ${files.length} workflow(s), no errors`);
