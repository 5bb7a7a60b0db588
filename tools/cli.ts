#!/usr/bin/env node
/**
 * One entry point for the offline tooling. Each command lives in tools/<name>/cli.ts and exports
 * `run(argv: string[]): Promise<number>` (the exit code). Modules load lazily so `lint` does not pay for
 * the simulator and vice versa.
 */
type Command = { summary: string; load: () => { run(argv: string[]): Promise<number> } };

const commands: Record<string, Command> = {
  lint: { summary: 'strict API-schema validation and platform-limit lint of synthesized or API-format JSON', load: () => require('./lint/cli') },
  'check-logs': { summary: "run an environment's log-based metric filters over LogEntry JSON lines", load: () => require('./logging-query/cli') },
  simulate: { summary: 'replay scenarios through the synthesized alert policies', load: () => require('./simulate/cli') },
  preview: { summary: 'render the dashboards of an environment as static HTML', load: () => require('./preview/cli') },
  backtest: { summary: "replay the project's real history through the policies (incidents vs a base or what is deployed)", load: () => require('./backtest/cli') },
  review: { summary: 'semantic diff of two synths as markdown for a pull request', load: () => require('./review/cli') },
  cost: { summary: "estimate the monitoring's monthly bill", load: () => require('./cost/cli') },
  drill: { summary: 'plan (or write) fire-drill log entries for staging', load: () => require('./drill/cli') },
  'export-hcl': { summary: 'write each environment as plain Terraform (HCL)', load: () => require('./export-hcl/cli') },
  docs: { summary: 'regenerate the generated sections of README.md (catalog table)', load: () => require('./docs/cli') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return ['usage: cli <command> [options]', '', ...Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`cli: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return command.load().run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
