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

test.each(COMMANDS)('%s --help: usage on stdout, exit 0', async (command) => {
  const r = await capture([command, '--help']);
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
  expect(r.out).toMatch(new RegExp(`^usage: vividly-monitoring ${command}\\b`));
  expect(await capture(['help', command])).toEqual(r);
});

test.each(COMMANDS)('%s --no-such-option: one message and the usage, exit 2, no stack trace', async (command) => {
  const r = await capture([command, '--no-such-option']);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toMatch(new RegExp(`^${command}: Unknown option '--no-such-option'`));
  expect(r.err).toContain(`usage: vividly-monitoring ${command}`);
  expect(r.err).not.toMatch(/\n\s+at /);
});

test('no command: the command list on stderr, exit 2; an unknown one says so', async () => {
  const none = await capture([]);
  expect(none.code).toBe(2);
  expect(none.err).toContain('usage: vividly-monitoring <command>');
  for (const c of COMMANDS) expect(none.err).toContain(`  ${c}`);
  const unknown = await capture(['nope']);
  expect(unknown.code).toBe(2);
  expect(unknown.err).toMatch(/^vividly-monitoring: unknown command "nope"/);
});
