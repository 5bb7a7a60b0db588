/**
 * A long step's progress: one line on stderr, redrawn in place, only when stderr is a terminal (a CI log or a
 * redirected stream stays clean, and --json output on stdout is never mixed with it).
 */

export interface StatusLine {
  /** Redraws the line with `text`, at most every `everyMs` unless `now` (a retry worth seeing at once). */
  update(text: string, now?: boolean): void;
  /** Erases the line, before the result or an error is printed. */
  clear(): void;
}

/** A status line on `stream`, or undefined when it is not a terminal. The text is cut to the terminal's width. */
export function statusLine(stream: NodeJS.WriteStream, everyMs = 100): StatusLine | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  let drawn = false;
  return {
    update(text, now = false) {
      const at = Date.now();
      if (at - last < everyMs && !now) return;
      last = at;
      drawn = true;
      stream.write(`\r\x1b[K${text.slice(0, (stream.columns || 100) - 1)}`);
    },
    clear() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
