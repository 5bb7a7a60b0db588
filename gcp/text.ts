/**
 * Text of the files users hand the tools (scenarios, policy files, lint input, log entries): a UTF-8 byte-order mark,
 * which editors on Windows and PowerShell's `Out-File` write, is not part of the content. JSON.parse fails on it
 * (`Unexpected token`); YAML and check-logs skipped it already. The readers of files people write (scenarios, policy
 * files, lint input, plans) strip it here; synthesized files are written by the app, without one.
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
