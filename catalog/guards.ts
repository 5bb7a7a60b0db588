/**
 * The low-traffic guard every share and burn-rate alert ANDs to its ratio: "enough real requests in the window".
 *
 * The guard counts `run.googleapis.com/request_count`, the only complete count of the API's requests (it includes the
 * middleware's 429s). That metric has no user-agent label, so the uptime checker's probes (all 200s) cannot be left
 * out of it: the guard adds the probes the API check sends within the window (catalog/uptime.ts) to the real
 * requests it asks for. Probes alone therefore never satisfy a guard.
 */
import type { ConditionSpec } from './types';
import { apiProbesIn } from './uptime';

const minutes = (s: number) => (s % 3600 === 0 && s > 3600 ? `${s / 3600} h` : `${s / 60} min`);

/** A guard of at least `realRequests` requests that are not uptime probes, over `windowSeconds`. */
export function lowTrafficGuard(realRequests: number, windowSeconds: number, durationSeconds: number): ConditionSpec {
  const probes = apiProbesIn(windowSeconds);
  return {
    displayName: `At least ${realRequests} API requests besides ${probes} uptime probes in ${minutes(windowSeconds)} (low-traffic guard)`,
    query: { signal: 'api_requests', aligner: 'ALIGN_DELTA', reducer: 'REDUCE_SUM', groupBy: ['resource.label.service_name'] },
    alignmentSeconds: windowSeconds,
    comparison: 'COMPARISON_GT',
    threshold: realRequests + probes - 1,
    durationSeconds,
  };
}

/** How the README states a guard: real requests plus the probes counted with them. */
export const guardText = (realRequests: number, windowSeconds: number): string => `guard ${realRequests} real req + ${apiProbesIn(windowSeconds)} probes`;
