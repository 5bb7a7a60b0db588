/**
 * The uptime checks' schedule, as data: the construct (constructs/uptime-checks.ts) configures the checks from it and
 * the low-traffic guards count the probes it sends (catalog/alerts.ts, catalog/slos.ts).
 */

/**
 * Four regions of one checker location each: at least 3 locations (gcp-facts §4.1), and "more than one location
 * failing" then means more than one region, so one region's blip never pages.
 */
export const CHECKER_REGIONS = ['USA_IOWA', 'EUROPE', 'ASIA_PACIFIC', 'SOUTH_AMERICA'] as const;
/** Locations per selected region (gcp-facts §4.1: the single-location regions; `USA` alone would be 3). */
export const LOCATIONS_PER_REGION = 1;
export const UPTIME_PERIOD_SECONDS = 60;

/**
 * Requests the API's uptime check sends to the API service in `seconds`: one per location per period. They are
 * all answered 200 and `run.googleapis.com/request_count` has no user-agent label to leave them out, so a
 * low-traffic guard on request_count adds them to its count of real requests (README, alert table).
 */
export const apiProbesIn = (seconds: number): number => Math.ceil(seconds / UPTIME_PERIOD_SECONDS) * CHECKER_REGIONS.length * LOCATIONS_PER_REGION;
