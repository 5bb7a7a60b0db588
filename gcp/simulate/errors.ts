/** Bad input (scenario or policy file): the CLI exits 2 and prints `file: field: reason`. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${file}: ${field || '(root)'}: ${reason}`);
    this.name = 'InputError';
  }
}

/**
 * Something in a policy the engine cannot evaluate (unsupported condition type, invalid aligner for the metric, an
 * unresolved interpolation...). Always names the policy, the condition and the field; never silently passed.
 */
export class EvaluationError extends Error {
  constructor(
    readonly policy: string,
    readonly condition: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`policy "${policy}"${condition ? `, condition "${condition}"` : ''}: ${field ? `${field}: ` : ''}${reason}`);
    this.name = 'EvaluationError';
  }
}

/** Thrown by the filter parsers; the caller wraps it with the policy/condition/field context. */
export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

/** proto3 Duration JSON ("300s", "1.5s"). Returns seconds, or throws with a reason. */
export function parseProtoDuration(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') throw new Error(`expected a duration string like "300s", got ${JSON.stringify(value)}`);
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(value.trim());
  if (!m) throw new Error(`invalid duration ${JSON.stringify(value)} (expected "<seconds>s", e.g. "300s")`);
  return Number(m[1]);
}

/** Human durations used in scenarios: "90s", "5m", "2h", "1d", "1h30m", or a number of seconds; never negative. */
export function parseHumanDuration(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`a duration must be a finite number of seconds (got ${value}; YAML reads 1e400 and .inf as Infinity)`);
    if (value < 0) throw new Error(`a duration cannot be negative (got ${value})`);
    return value;
  }
  if (typeof value !== 'string') throw new Error(`expected a duration like "5m", got ${JSON.stringify(value)}`);
  const s = value.trim();
  if (s.startsWith('-')) throw new Error(`a duration cannot be negative (got ${JSON.stringify(value)})`);
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n / 1000 : m[2] === 's' ? n : m[2] === 'm' ? n * 60 : m[2] === 'h' ? n * 3600 : m[2] === 'd' ? n * 86400 : n * 604800;
    pos = re.lastIndex;
  }
  if (pos !== s.length || pos === 0) throw new Error(`invalid duration ${JSON.stringify(value)} (use e.g. "90s", "5m", "2h", "1d")`);
  return total;
}
