/** Small helpers on Monitoring time-series filters (gcp-facts §2.1). Not a full parser. */

/** Replace quoted strings by `""` so selectors inside label values are not counted. */
export function stripQuoted(filter: string): string {
  return filter.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
}

/** All `metric.type` selectors and their literal right-hand side (undefined when not `= "literal"`). */
export function metricTypeSelectors(filter: string): Array<{ literal?: string }> {
  const out: Array<{ literal?: string }> = [];
  const re = /\bmetric\.type\s*(=|!=|:)?\s*("(?:[^"\\]|\\.)*")?/g;
  const stripped = stripQuoted(filter);
  const count = (stripped.match(/\bmetric\.type\b/g) ?? []).length;
  let m: RegExpExecArray | null;
  // Walk the original string, skipping hits inside quotes by position comparison with the stripped count.
  while ((m = re.exec(filter)) !== null) {
    if (out.length >= count) break;
    out.push({ literal: m[1] === '=' && m[2] ? JSON.parse(m[2]) as string : undefined });
  }
  return out.length === count ? out : Array.from({ length: count }, () => ({}));
}

export function hasResourceType(filter: string): boolean {
  return /\bresource\.type\b/.test(stripQuoted(filter));
}

/** The single metric type of a filter, when it names exactly one as a literal. */
export function singleMetricType(filter: string): string | undefined {
  const sel = metricTypeSelectors(filter);
  return sel.length === 1 ? sel[0].literal : undefined;
}
