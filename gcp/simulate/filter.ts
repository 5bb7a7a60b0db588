/**
 * The simulator's view of Monitoring filters: the library's one parser (gcp/filter), minus the nodes a series alone
 * cannot decide (group.id, metadata.*, the ":" operator, an AND/OR mix of undocumented precedence), which are refused
 * here with the reason instead of guessed. Regular expressions are compiled up front so a bad RE2 pattern fails at
 * load time.
 */
import {
  compileRe2,
  comparisons,
  FilterSyntaxError,
  matchesFilter,
  metricTypesOf,
  parseSeriesFilter,
  unsupportedNode,
  type FilterNode,
  type SeriesIdentity,
} from '../filter';
import { FilterError } from './errors';

export type { FilterNode, SeriesIdentity };
export { matchesFilter, metricTypesOf };

/** Parse a monitoring filter for evaluation; throws FilterError with the reason. */
export function parseMonitoringFilter(filter: string): FilterNode {
  let node: FilterNode;
  try {
    node = parseSeriesFilter(filter);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw new FilterError(e.message);
    throw e;
  }
  const why = unsupportedNode(node);
  if (why) throw new FilterError(`${why} (UNSUPPORTED by the simulator)`);
  for (const { cmp } of comparisons(node)) {
    const source = cmp.rhs.fn === 'regex' ? cmp.rhs.source : cmp.cmp === '=~' || cmp.cmp === '!~' ? String((cmp.rhs as { value: string }).value) : undefined;
    if (source === undefined) continue;
    try {
      compileRe2(source, cmp.rhs.fn === 'regex');
    } catch (e) {
      throw new FilterError(`invalid RE2 regular expression ${JSON.stringify(source)}: ${(e as Error).message}`);
    }
  }
  return node;
}
