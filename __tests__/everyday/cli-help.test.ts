/** Every subcommand answers --help on stdout with exit 0, one usage style, and a usage error is one message, exit 2. */
import { commands, main } from '../../tools/cli';

/** Every registered command: a new one is covered without editing this list. */
const COMMANDS = Object.keys(commands);

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  });
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err += `${a.join(' ')}\n`;
  });
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await main(argv), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** Every command, as named and as argv: the registered ones, and `simulate test` (a command of its own). */
const COMMAND_LINES = [...COMMANDS.map((c) => [c]), ['simulate', 'test']].map((argv): [string, string[]] => [argv.join(' '), argv]);

test.each(COMMAND_LINES)('%s --help: the full help on stdout, exit 0', async (name, command) => {
  const r = await capture([...command, '--help']);
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
  expect(r.out).toMatch(new RegExp(`^usage: vividly-monitoring ${name}\\b`));
  if (command.length === 1) expect(await capture(['help', name])).toEqual(r);
});

test.each(COMMAND_LINES)('%s --no-such-option: two lines on stderr, the message and the synopsis, exit 2, no stack trace', async (name, command) => {
  const r = await capture([...command, '--no-such-option']);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  const lines = r.err.replace(/\n$/, '').split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(new RegExp(`^${name}: Unknown option '--no-such-option'`));
  expect(lines[1]).toMatch(new RegExp(`^usage: vividly-monitoring ${name}\\b`));
  // The synopsis is the help's first line.
  expect(lines[1]).toBe((await capture([...command, '--help'])).out.split('\n')[0]);
});

test.each(COMMAND_LINES)('%s --help beside a mistake (before or after it): the help, exit 0', async (_name, command) => {
  const help = await capture([...command, '--help']);
  for (const argv of [
    ['--help', '--no-such-option'],
    ['--no-such-option', '-h'],
  ]) {
    expect(await capture([...command, ...argv])).toEqual(help);
  }
});

test.each([
  ['drill', ['--env', 'qa'], ''], // and no --alert or --all
  ['cost', ['--env', 'qa', '--traffic-multiplier', '0'], ''],
  ['simulate', ['--env', 'qa'], ''], // and no scenario
  ['check-logs', ['--env', 'qa'], ''], // and no input file
  ['backtest', ['--env', 'qa'], ''], // and no --from or --to
  ['preview', ['--env', 'qa', '--synth-dir', ''], ', all'],
])("%s: an unknown --env is the mistake named, before the other options' (the bad value is the more useful message)", async (command, argv, all) => {
  const r = await capture([command, ...argv]);
  expect(r.code).toBe(2);
  expect(r.err.split('\n')[0]).toBe(`${command}: option --env: unknown environment "qa": choose from dev, staging, prod${all}`);
});

test('no command: the command list on stderr, exit 2; an unknown one is named, with the commands on one line', async () => {
  const none = await capture([]);
  expect(none.code).toBe(2);
  expect(none.err).toContain('usage: vividly-monitoring <command>');
  for (const c of COMMANDS) expect(none.err).toContain(`  ${c}`);
  const unknown = await capture(['nope']);
  expect(unknown.code).toBe(2);
  expect(unknown.err.replace(/\n$/, '').split('\n')).toEqual([
    'vividly-monitoring: unknown command "nope"',
    `commands: ${COMMANDS.join(', ')} (vividly-monitoring --help describes them)`,
  ]);
});
