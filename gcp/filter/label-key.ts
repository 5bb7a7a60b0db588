/**
 * The one rule for a label key written bare (unquoted) after `metric.labels.`, `resource.labels.` or
 * `metadata.*_labels.`, in a filter and in a groupByFields entry alike: a letter or `_`, then letters, digits, `_`
 * and `-`. Any other key is written quoted (`metric.labels."my key"`).
 *
 * Google's LabelDescriptor.key is stricter, `[a-zA-Z][a-zA-Z0-9_]*`
 * (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/LabelDescriptor), but series written by other producers
 * carry keys outside it (Prometheus names may start with `_`, for one), and the filter parser and the simulator's
 * groupByFields reader already took `-` and a leading `_`. The more lenient form is kept so that no key a real series
 * may carry is refused offline; the API stays the judge of what it accepts.
 */
export const LABEL_KEY = '[A-Za-z_][\\w-]*';

const BARE_LABEL_KEY = new RegExp(`^${LABEL_KEY}$`);

/** Whether the key can be written without quotes. */
export const isBareLabelKey = (key: string): boolean => BARE_LABEL_KEY.test(key);
