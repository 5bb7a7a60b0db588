import type { z } from 'zod';
import type { EnvironmentConfig, environmentSchema } from './schema';

/** What an environment file writes: the schema's input, checked again at run time (a file may be edited by hand). */
export type EnvironmentInput = z.input<typeof environmentSchema>;

/**
 * The reference traffic profile (docs/reference/traffic.md): the same ground for cost estimates, quiet-week
 * simulations and thresholds. An environment may override any figure.
 */
export const trafficProfile: Record<'dev' | 'staging' | 'prod', EnvironmentConfig['traffic']> = {
  prod: {
    peakRps: 20,
    floorRps: 1,
    errorShare: 0.002,
    rateLimitedShare: 0.005,
    p95LatencySeconds: 0.35,
    appLogLinesPerRequest: 3,
    appLogBytesPerLine: 600,
    requestLogBytes: 1000,
    failedLoginsPerHourAtPeak: 2,
    contentGenerationsPerHourAtPeak: 60,
    dbConnectionsInUse: [30, 60],
    utcOffsetHours: -6,
  },
  staging: {
    peakRps: 2,
    floorRps: 0.1,
    errorShare: 0.005,
    rateLimitedShare: 0.005,
    p95LatencySeconds: 0.4,
    appLogLinesPerRequest: 3,
    appLogBytesPerLine: 600,
    requestLogBytes: 1000,
    failedLoginsPerHourAtPeak: 2,
    contentGenerationsPerHourAtPeak: 1,
    dbConnectionsInUse: [10, 20],
    utcOffsetHours: -6,
  },
  dev: {
    peakRps: 0.2,
    floorRps: 0.01,
    errorShare: 0.01,
    rateLimitedShare: 0.005,
    p95LatencySeconds: 0.5,
    appLogLinesPerRequest: 6,
    appLogBytesPerLine: 300,
    requestLogBytes: 1000,
    failedLoginsPerHourAtPeak: 2,
    contentGenerationsPerHourAtPeak: 0.2,
    dbConnectionsInUse: [5, 10],
    utcOffsetHours: -6,
  },
};

/**
 * The GitHub repository of this project, whose workflow tokens the bootstrap stacks' identity pools accept.
 * PLACEHOLDER owner (the app's repository owner, vividly-app.md): set the real one before the first bootstrap.
 */
export const GITHUB_REPOSITORY: EnvironmentConfig['ci']['github'] = { owner: 'rich1edwards', repository: 'vividly-monitoring' };
