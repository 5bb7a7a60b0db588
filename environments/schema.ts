/**
 * The environment's schema. Every value a stack needs comes from here, validated when the app runs, so a bad
 * value stops synth with one message naming the environment, the field and the reason.
 */
import { z } from 'zod';

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;

export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/**
 * The message for names that are no environment (`also`: other values the caller takes, e.g. `all`), or undefined
 * when every name is one: one wording for the synth (loadEnvironments) and every tool's --env.
 */
export function unknownEnvironmentsMessage(names: readonly string[], also: readonly string[] = []): string | undefined {
  const known: readonly string[] = [...ENVIRONMENT_NAMES, ...also];
  const unknown = names.filter((name) => !known.includes(name));
  return unknown.length ? `unknown environment ${unknown.map((n) => `"${n}"`).join(', ')}: choose from ${known.join(', ')}` : undefined;
}

/** Regions this project has been checked against (Cloud Run + Cloud SQL + uptime checks). */
export const KNOWN_REGIONS = ['us-central1', 'us-east1', 'us-east4', 'us-west1', 'europe-west1', 'europe-west4', 'asia-east1'] as const;

/** Alert ids of the plan's eight policies plus the push-worker check; keys of `alerts` overrides. */
export const ALERT_IDS = [
  'bruteForceAttack',
  'ddosAttempt',
  'serviceDown',
  'highErrorRate',
  'elevatedRateLimiting',
  'performanceDegradation',
  'databaseConnectionIssues',
  'authenticationFailuresSpike',
  'pushWorkerDown',
] as const;
export type AlertId = (typeof ALERT_IDS)[number];

// GCP project ids: 6-30 chars, lowercase letters, digits and hyphens, start with a letter, no trailing hyphen.
const projectId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a GCP project id: 6-30 lowercase letters, digits or hyphens, starting with a letter');
const nonEmpty = z.string().trim().min(1, 'must not be empty');
// Cloud Run service names: lowercase letters, digits, hyphens; at most 49 characters; start with a letter.
const serviceName = nonEmpty.regex(
  /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/,
  'must be a Cloud Run service name (lowercase letters, digits and hyphens, at most 49 characters)',
);
const email = z.string().email('must be an e-mail address');
const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a host name without scheme or path (e.g. api.example.com)');
// GitHub: owners are 1-39 letters, digits or single hyphens; repositories letters, digits, '.', '_' or '-'.
const githubOwner = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, 'must be a GitHub user or organization name');
const githubRepository = z.string().regex(/^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/, 'must be a GitHub repository name');
// Quoted inside the WIF attribute condition and a principalSet: no quotes, spaces or slashes.
const githubEnvironment = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/, 'must be a GitHub environment name (letters, digits, "_", "." or "-")');
const positive = z.number({ invalid_type_error: 'must be a number' }).finite('must be a finite number').positive('must be a positive number');
const fraction = positive.max(1, 'must be a fraction between 0 and 1');
const positiveInt = z.number({ invalid_type_error: 'must be a number' }).int('must be a whole number').positive('must be a positive number');
/** Durations are written in seconds and must be whole minutes: Cloud Monitoring rejects anything else (gcp-facts §1.4). */
const wholeMinutes = z
  .number({ invalid_type_error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .nonnegative('must not be negative')
  .refine((s) => s % 60 === 0, { message: 'must be a whole number of minutes (a multiple of 60 seconds)' });
const positiveWholeMinutes = wholeMinutes.refine((s) => s > 0, { message: 'must be at least one minute' });

/** Per-alert overrides of the catalog's defaults. Only what an environment may tune. */
const alertOverride = z
  .object({
    enabled: z.boolean().optional(),
    threshold: positive.optional(),
    windowSeconds: positiveWholeMinutes.optional(),
    durationSeconds: wholeMinutes.optional(),
    /** Minimum requests in the window before a share can alert (the low-traffic guard). */
    minRequests: positiveInt.optional(),
  })
  .strict();

const channelKind = z.enum(['pagerduty', 'email', 'slack']);
export type ChannelKind = z.infer<typeof channelKind>;

export const environmentSchema = z
  .object({
    name: z.enum(ENVIRONMENT_NAMES),
    projectId,
    /** Set where known; it only appears in documentation links. */
    projectNumber: z
      .string()
      .regex(/^[0-9]{6,20}$/, 'must be the numeric project number')
      .optional(),
    region: z.enum(KNOWN_REGIONS, { errorMap: () => ({ message: `must be one of ${KNOWN_REGIONS.join(', ')}` }) }),
    services: z.object({ api: serviceName, pushWorker: serviceName }).strict(),
    cloudSql: z.object({ instance: serviceName, maxConnections: positiveInt }).strict(),
    pubsub: z.object({ topic: nonEmpty, subscription: nonEmpty, deadLetterTopic: nonEmpty }).strict(),
    api: z.object({ host: hostname, healthPath: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, 'must be a URL path starting with /') }).strict(),
    serviceAccounts: z
      .object({
        apiRuntime: email,
        deployer: email,
        /** The read-only identity pull requests and the drift watch plan as; the bootstrap stack creates it. */
        planner: email,
      })
      .strict(),
    state: z.object({ bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'must be a GCS bucket name'), prefix: nonEmpty }).strict(),
    notifications: z
      .object({
        email: z
          .object({ engineering: z.array(email).min(1, 'needs at least one address'), security: z.array(email).min(1, 'needs at least one address') })
          .strict(),
        /** PagerDuty's service key comes from the bootstrap stack's sensitive Terraform variable `pagerduty_service_key`, never from here. */
        pagerduty: z.object({ enabled: z.boolean() }).strict(),
        /** Slack's token comes from the bootstrap stack's sensitive Terraform variable `slack_auth_token`. */
        slack: z
          .object({ channelName: z.string().regex(/^#[a-z0-9_-]{1,80}$/, 'must be a Slack channel like #alerts') })
          .strict()
          .optional(),
      })
      .strict(),
    /** Which channel kinds each severity notifies (the owning team's e-mail for `email`). */
    routing: z.object({ CRITICAL: z.array(channelKind), WARNING: z.array(channelKind) }).strict(),
    alerts: z
      .object(Object.fromEntries(ALERT_IDS.map((id) => [id, alertOverride.optional()])) as Record<AlertId, z.ZodOptional<typeof alertOverride>>)
      .strict(),
    /** Traffic figures for cost estimates and simulations (docs/reference/traffic.md). */
    traffic: z
      .object({
        peakRps: positive,
        floorRps: positive,
        errorShare: fraction,
        rateLimitedShare: fraction,
        p95LatencySeconds: positive,
        appLogLinesPerRequest: positive,
        appLogBytesPerLine: positiveInt,
        requestLogBytes: positiveInt,
        failedLoginsPerHourAtPeak: z.number().nonnegative(),
        contentGenerationsPerHourAtPeak: z.number().nonnegative(),
        dbConnectionsInUse: z.tuple([positiveInt, positiveInt]),
        /** Hours from UTC of the users' local time (Nashville schools: UTC-6). */
        utcOffsetHours: z.number().int().min(-12).max(14),
      })
      .strict(),
    /** Cost controls: logs excluded from storage (still counted by log-based metrics). */
    logExclusions: z
      .object({
        uptimeCheckRequests: z.boolean(),
        successfulHealthChecks: z.boolean(),
        staticAssetRequests: z.boolean(),
      })
      .strict(),
    logRetentionDays: positiveInt.max(3650, 'must be at most 3650 days'),
    /** Service-level objectives over a rolling window; defaults in catalog/slos.ts (SLO_DEFAULTS). */
    slo: z
      .object({
        availabilityGoal: fraction.refine((x) => x < 1, { message: 'must be below 1 (a 100 % goal leaves no error budget)' }).optional(),
        latencyGoal: fraction.refine((x) => x < 1, { message: 'must be below 1 (a 100 % goal leaves no error budget)' }).optional(),
        latencyThresholdSeconds: positive.optional(),
        rollingDays: positiveInt.max(30, 'must be at most 30 days (the API limit for rolling periods)').optional(),
        /** The low-traffic guard: at least this many requests a minute over a burn-rate alert's short window. */
        minRequestsPerMinute: positive.optional(),
      })
      .strict()
      .default({}),
    drills: z.object({ allowed: z.boolean() }).strict(),
    /** Who may reach this environment from GitHub Actions (the bootstrap stack's Workload Identity Federation). */
    ci: z
      .object({
        /** The repository this project lives in: the only one whose workflow tokens the pools accept. */
        github: z.object({ owner: githubOwner, repository: githubRepository }).strict(),
        /**
         * The protected GitHub environment whose jobs, on `main` only, may impersonate the deployer. Absent: the
         * deployer cannot be reached from GitHub at all (an operator deploys by hand).
         */
        deployEnvironment: githubEnvironment.optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((env, ctx) => {
    for (const severity of ['CRITICAL', 'WARNING'] as const) {
      for (const kind of env.routing[severity]) {
        if (kind === 'pagerduty' && !env.notifications.pagerduty.enabled) {
          ctx.addIssue({ code: 'custom', path: ['routing', severity], message: 'routes to pagerduty but notifications.pagerduty.enabled is false' });
        }
        if (kind === 'slack' && !env.notifications.slack) {
          ctx.addIssue({ code: 'custom', path: ['routing', severity], message: 'routes to slack but notifications.slack is not configured' });
        }
      }
    }
    // The bootstrap stack creates the planner in the environment's own project, under this account id.
    const planner = /^([^@]+)@([^.]+)\.iam\.gserviceaccount\.com$/.exec(env.serviceAccounts.planner);
    if (!planner || planner[2] !== env.projectId || !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(planner[1])) {
      ctx.addIssue({
        code: 'custom',
        path: ['serviceAccounts', 'planner'],
        message: `must be ACCOUNT_ID@${env.projectId}.iam.gserviceaccount.com with an account id of 6-30 lowercase letters, digits or hyphens`,
      });
    }
    // Traffic figures that contradict each other would feed the cost estimate and the simulations nonsense.
    const { floorRps, peakRps, dbConnectionsInUse } = env.traffic;
    if (floorRps > peakRps) {
      ctx.addIssue({
        code: 'custom',
        path: ['traffic', 'floorRps'],
        message: `must be at most traffic.peakRps (${peakRps}): the quietest rate, not above the busiest`,
      });
    }
    const [low, high] = dbConnectionsInUse;
    if (low > high)
      ctx.addIssue({ code: 'custom', path: ['traffic', 'dbConnectionsInUse'], message: `must be [low, high] with low at most high (got [${low}, ${high}])` });
    // zod still runs this when a field above failed its own check: compare with a valid maximum only (one message).
    if (env.cloudSql.maxConnections > 0 && high > env.cloudSql.maxConnections) {
      ctx.addIssue({
        code: 'custom',
        path: ['traffic', 'dbConnectionsInUse'],
        message: `${high} connections in use is more than cloudSql.maxConnections (${env.cloudSql.maxConnections}) allows`,
      });
    }
    if (!env.services.api.startsWith(`${env.name}-`) || !env.services.pushWorker.startsWith(`${env.name}-`)) {
      ctx.addIssue({ code: 'custom', path: ['services'], message: `service names must start with "${env.name}-" (the deployed naming convention)` });
    }
  });

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type AlertOverride = z.infer<typeof alertOverride>;

export class EnvironmentError extends Error {}

/** Validates one environment; throws one message naming the environment, field and reason. */
export function validateEnvironment(source: string, raw: unknown): EnvironmentConfig {
  const result = environmentSchema.safeParse(raw);
  if (result.success) return result.data;
  const envName = typeof raw === 'object' && raw && 'name' in raw ? String((raw as { name: unknown }).name) : '?';
  const lines = result.error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join('.') : '(root)';
    return `${source}: environment "${envName}": field "${field}": ${issue.message}`;
  });
  throw new EnvironmentError(lines.join('\n'));
}
