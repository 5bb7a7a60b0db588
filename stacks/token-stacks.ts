/**
 * cdktf records where each of its tokens was made: it lifts Error.stackTraceLimit, captures the whole JavaScript stack
 * on a plain object and formats it into strings at once (cdktf/lib/tokens/private/stack-trace.js, for every Lazy and
 * Intrinsic token). Those strings are read only by its messages about a misused token, yet making them was a quarter
 * of a synth's CPU. While the stacks of an environment are built and synthesized, such records keep the frames
 * nearest the token (where it was made, which is what those messages are for), formatted without source maps. The
 * stack of an Error is formatted as it always is, by the formatter in place before.
 */

/** How many frames a token's creation record keeps. */
export const TOKEN_STACK_FRAMES = 10;

/** A stack record cdktf (or constructs) captured: a plain object, never an Error. */
const isPlainRecord = (target: unknown): boolean => target !== null && typeof target === 'object' && Object.getPrototypeOf(target) === Object.prototype;

/** Runs `body` with token creation records cut to {@link TOKEN_STACK_FRAMES} frames; the formatter is restored after. */
export function withShortTokenStacks<T>(body: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (target: Error, frames: NodeJS.CallSite[]) => {
    if (isPlainRecord(target)) return ['Error', ...frames.slice(0, TOKEN_STACK_FRAMES).map((frame) => `    at ${frame}`)].join('\n');
    // Node always has a formatter of its own; without one, V8's format.
    return previous ? previous(target, frames) : [String(target), ...frames.map((frame) => `    at ${frame}`)].join('\n');
  };
  try {
    return body();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
