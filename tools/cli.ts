#!/usr/bin/env node
/**
 * One entry point for the offline tooling. Each command lives in tools/<name>/cli.ts and exports
 * `run(argv: string[]): Promise<number>` (the exit code). Modules load lazily so `lint` does not pay for
 * the simulator and vice versa.
 */
type Command = { summary: string; load: () => { run(argv: string[]): Promise<number> } };

export const commands: Record<string, Command> = {
  lint: { summary: 'strict API-schema validation and platform-limit lint of synthesized or API-format JSON', load: () => require('./lint/cli') },
  'check-logs': { summary: "run an environment's log-based metric filters over LogEntry JSON lines", load: () => require('./logging-query/cli') },
  simulate: { summary: 'replay scenarios through the synthesized alert policies', load: () => require('./simulate/cli') },
  preview: { summary: 'render the dashboards of an environment as static HTML', load: () => require('./preview/cli') },
  backtest: {
    summary: "replay the project's real history through the policies (incidents vs a base or what is deployed)",
    load: () => require('./backtest/cli'),
  },
  review: { summary: 'semantic diff of two synths as markdown for a pull request', load: () => require('./review/cli') },
  cost: { summary: "estimate the monitoring's monthly bill", load: () => require('./cost/cli') },
  drill: { summary: 'plan (or write) fire-drill log entries for staging', load: () => require('./drill/cli') },
  'export-hcl': { summary: 'write each environment as plain Terraform (HCL)', load: () => require('./export-hcl/cli') },
  'plan-summary': { summary: "a saved Terraform plan's creates, updates, replacements and destroys as markdown", load: () => require('./plan-summary/cli') },
  docs: { summary: 'regenerate the generated sections of README.md (catalog table)', load: () => require('./docs/cli') },
  bench: { summary: 'synth speed and memory, and (--suite) the whole test suite', load: () => require('./bench') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: vividly-monitoring <command> [options]      (npx vividly-monitoring ..., or npm run <command> -- ...)',
    '',
    ...Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`),
    '',
    'vividly-monitoring <command> --help (or: help <command>) describes a command.',
  ].join('\n');
}

/**
 * Runs one command; returns its exit code. A usage error is the message and the synopsis on stderr (exit 2,
 * tools/shared/usage.ts), never a stack trace.
 */
export async function main(argv: string[]): Promise<number> {
  let [name, ...rest] = argv;
  if (name === 'help' && rest.length) [name, rest] = [rest[0], ['--help']];
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? console.log : console.error)(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`vividly-monitoring: unknown command "${name}"`);
    console.error(`commands: ${Object.keys(commands).join(', ')} (vividly-monitoring --help describes them)`);
    return 2;
  }
  return command.load().run(rest);
}

if (require.main === module)
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
