/**
 * One usage style for every command of tools/cli.ts: `--help` (`-h`) prints the command's full help on stdout, exit 0;
 * a usage error (a mistake in the command line itself: an unknown option, a missing or conflicting one, a value of the
 * wrong form) is two lines on stderr, the message naming the option and the reason, then the command's synopsis (the
 * first line of its help), exit 2. What is wrong in a file the command reads is one line of its own (an InputError).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { unknownEnvironmentsMessage } from '../../environments/schema';

/** A mistake in the command line, found past the parsing: the command prints it with {@link usageError}. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Where a command prints lines (console.log and console.error unless a test or a caller gives others). */
export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
}

export const consoleIO: CommandIO = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** The synopsis of a command: the first line of its help (`usage: vividly-monitoring <command> ...`). */
export const synopsis = (help: string): string => help.split('\n')[0];

/** Prints a usage error, `<tool>: <message>` and the synopsis, on stderr; returns the exit code (2). */
export function usageError(tool: string, help: string, message: string, io: Pick<CommandIO, 'err'> = consoleIO): number {
  io.err(`${tool}: ${message.split('\n')[0]}`);
  io.err(synopsis(help));
  return 2;
}

/** Whether a command line asks for help: `--help` or `-h` before any `--` (after it, they are operands). */
const askedForHelp = (args: readonly string[]): boolean => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

/**
 * `parseArgs` (strict) with `--help`/`-h` added: the parsed command line, or the exit code when the command is done
 * (`--help`: the help printed, 0; a parse error: a usage error printed, 2).
 */
export function parseCommandLine<T extends ParseArgsConfig>(
  tool: string,
  help: string,
  config: T,
  io: CommandIO = consoleIO,
): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs({ strict: true, ...config, options: { ...config.options, help: { type: 'boolean', short: 'h' } } }) as ReturnType<typeof parseArgs<T>>;
  } catch (err) {
    // Asked for help with a mistake beside it (`--help --bogus`): the help is the answer, as the bin takes it.
    if (askedForHelp(config.args ?? process.argv.slice(2))) {
      io.out(help);
      return 0;
    }
    return usageError(tool, help, (err as Error).message, io);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.out(help);
    return 0;
  }
  return parsed;
}

/**
 * The usage error of an `--env` value that names no environment (`all` too when the command takes it), or undefined.
 * Checked before the other options: the bad value is the more useful message.
 */
export function unknownEnvironment(names: readonly string[], also: readonly string[] = []): string | undefined {
  const unknown = unknownEnvironmentsMessage(names, also);
  return unknown && `option --env: ${unknown}`;
}
