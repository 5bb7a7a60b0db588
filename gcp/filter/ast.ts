/**
 * The syntax tree of a Cloud Monitoring filter (https://cloud.google.com/monitoring/api/v3/filters, gcp-facts §2.1),
 * and of the SLO time-series selectors that stand in a filter's place ("Retrieving SLO data",
 * https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/timeseries-selectors).
 *
 * One tree serves every reader: the simulator evaluates it (and refuses the nodes it cannot), the lint checks it
 * (and accepts every node Google documents), cost describes it, the label check walks its selectors.
 */

/** What the left-hand side of a comparison names. */
export type Selector =
  | { kind: 'metric.type' }
  | { kind: 'resource.type' }
  | { kind: 'project' }
  | { kind: 'group.id' }
  | { kind: 'metric.label'; key: string }
  | { kind: 'resource.label'; key: string }
  | { kind: 'metadata.system_label'; key: string }
  | { kind: 'metadata.user_label'; key: string };

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | ':' | '=~' | '!~';

/** The right-hand side: a literal, or one of the documented matching functions. */
export type Rhs =
  | {
      fn: 'eq';
      value: string | number;
      quoted: boolean;
      /** A number as written (`0.000000000000000000001`, `1.50`): the printer writes it back, String(value) need not read the same. */
      text?: string;
    }
  | { fn: 'starts_with' | 'ends_with' | 'has_substring'; value: string }
  | { fn: 'one_of'; values: string[] }
  | { fn: 'regex'; source: string };

export interface Comparison {
  op: 'cmp';
  sel: Selector;
  cmp: Comparator;
  rhs: Rhs;
  /** Offset of the selector in the source, for messages. */
  pos: number;
}

export type FilterNode =
  | {
      op: 'AND' | 'OR';
      args: FilterNode[];
      /**
       * Set when AND and OR were mixed at one level without parentheses. Google's filter page does not state their
       * relative precedence; the tree then follows AIP-160 (https://google.aip.dev/160: OR binds tighter than AND),
       * and readers decide: the lint warns, the simulator refuses to guess.
       */
      assumedPrecedence?: true;
      /**
       * Set on an OR that the assumed precedence formed out of such a mix (the `a OR b` of `a OR b AND c`), as opposed
       * to one written in parentheses (`(a OR b) AND c`): the tree is the same either way, the text is not, and it
       * means something else if AND binds tighter. Only mixes carry it, so every other tree is as it was.
       */
      implicitGroup?: true;
    }
  | { op: 'NOT'; arg: FilterNode }
  | Comparison;

/** `select_slo_NAME("projects/…/serviceLevelObjectives/…"[, "LOOKBACK"])`: a whole filter, never a term. */
export interface SloSelector {
  op: 'slo';
  selector: string;
  name: string;
  lookback?: string;
}

export type ParsedFilter = FilterNode | SloSelector;
