import { z } from 'zod';

/** docs/INTERFACES.md §7 fixes the first six keys; the rest are ours. */

export const HEALTH_STATUSES = ['healthy', 'degraded', 'down'] as const;
export const healthStatusSchema = z.enum(HEALTH_STATUSES);
export type HealthStatus = z.infer<typeof healthStatusSchema>;

const isoTime = z.string();

export const alertSchema = z.object({
  /** Stable per condition (e.g. `auth_failure`), so the UI and notifier can tell new from ongoing. */
  id: z.enum([
    'success_rate_warning',
    'success_rate_critical',
    'rate_limit_hit',
    'auth_failure',
    'circuit_open',
    'daily_budget',
  ]),
  severity: z.enum(['info', 'warning', 'critical']),
  title: z.string(),
  detail: z.string(),
  action: z.string(),
  since: isoTime,
});
export type Alert = z.infer<typeof alertSchema>;

export const circuitSnapshotSchema = z.object({
  state: z.enum(['closed', 'open', 'half_open']),
  consecutiveFailures: z.number().int(),
  threshold: z.number().int(),
  openedAt: isoTime.nullable(),
  nextProbeAt: isoTime.nullable(),
});
export type CircuitSnapshot = z.infer<typeof circuitSnapshotSchema>;

/**
 * Why the dispatcher holds every job back: a 429 from iCIMS (`rate_limit`), the circuit breaker
 * after repeated failures (`circuit_open`, an outage), or the daily call budget (`daily_budget`).
 */
export const HOLD_REASONS = ['rate_limit', 'circuit_open', 'daily_budget'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const workerSnapshotSchema = z.object({
  /** `off`: this console was started with SYNC_WORKER=off and sends nothing. */
  state: z.enum(['running', 'paused', 'stopped', 'off']),
  pausedReason: z.string().nullable(),
  pausedAt: isoTime.nullable(),
  /** Set while a hold (see holdReason) keeps the whole dispatcher back; the name is historical. */
  rateLimitedUntil: isoTime.nullable(),
  /** What the hold until `rateLimitedUntil` is for; null when nothing holds. */
  holdReason: z.enum(HOLD_REASONS).nullable(),
  inFlight: z.number().int(),
});
export type WorkerSnapshot = z.infer<typeof workerSnapshotSchema>;

export const recentFailureSchema = z.object({
  at: isoTime,
  operation: z.string(),
  statusCode: z.number().int().nullable(),
  error: z.string(),
  jobId: z.number().int().nullable(),
  applicationId: z.string().nullable(),
  /** Team mode: the engine (SYNC_NODE_NAME) that made the call; absent on a single console. */
  node: z.string().optional(),
});
export type RecentFailure = z.infer<typeof recentFailureSchema>;

/** Budget and backlog forecast (docs/OPS_API.md): where today's calls and the queue are heading. */
export const forecastSchema = z.object({
  budget: z.object({
    used: z.number().int(),
    limit: z.number().int(),
    /** Calls per hour at the pace of the last hour. */
    callsPerHour: z.number().int(),
    /** Calls by UTC midnight if the pace holds. */
    projectedToday: z.number().int(),
    /** When the daily budget runs out at this pace; null when it lasts until midnight UTC. */
    runsOutAt: isoTime.nullable(),
  }),
  backlog: z.object({
    /** Jobs still to send (pending and processing). */
    jobs: z.number().int(),
    /** The allowed rate (ICIMS_RATE_LIMIT_PER_MIN). */
    ratePerMin: z.number().int(),
    /**
     * Minutes until the backlog is sent at the allowed rate; null when nothing can be sent (no
     * calls allowed, or the worker is paused or off: `worker.state` says which).
     */
    drainMinutes: z.number().int().nullable(),
    drainsAt: isoTime.nullable(),
    /** The daily budget runs out before the backlog does: the rest waits for midnight UTC. */
    waitsForBudgetReset: z.boolean(),
  }),
});
export type Forecast = z.infer<typeof forecastSchema>;

/** One engine of a team (team mode): docs/INTERFACES.md §9. */
export const teamNodeSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** The last heartbeat, on the database's clock. */
  lastSeenAt: isoTime,
  /** `lost`: no heartbeat for 30 s; its jobs come back after their lease, in doubt. Listed 24 h. */
  state: z.enum(['active', 'lost']),
  inFlight: z.number().int(),
  callsLastMinute: z.number().int(),
  credentialsFrom: z.enum(['environment', 'team']),
  /** False for an engine started with SYNC_WORKER=off: it shows and operates the queue, sends nothing. */
  worker: z.boolean(),
  /** The iCIMS it sends to ("made for" on the Jobs screen); null before it first pointed the queue. */
  destination: z.string().nullable(),
});
export type TeamNodeSnapshot = z.infer<typeof teamNodeSchema>;

/** Team mode only: the shared database as this engine sees it, and what this console may do there. */
export const teamSnapshotSchema = z.object({
  /** This engine's name (SYNC_NODE_NAME). */
  node: z.string(),
  database: z.object({
    state: z.enum(['connecting', 'up', 'unreachable']),
    /** Why it is unreachable, without the connection string. */
    lastError: z.string().nullable(),
  }),
  /**
   * Null when this console's database role may operate the queue; else the sentence the console
   * shows beside its disabled buttons (the database's grants decide, not a setting).
   */
  readOnly: z.string().nullable(),
});
export type TeamSnapshot = z.infer<typeof teamSnapshotSchema>;

export const opsSnapshotSchema = z.object({
  status: healthStatusSchema,
  lastSuccessfulCall: isoTime.nullable(),
  lastFailedCall: isoTime.nullable(),
  metricsLast24h: z.object({
    totalCalls: z.number().int(),
    successfulCalls: z.number().int(),
    failedCalls: z.number().int(),
    avgResponseTimeMs: z.number().int(),
    rateLimitHits: z.number().int(),
    p95ResponseTimeMs: z.number().int(),
    /** Of totalCalls: read-backs of in-doubt writes (operation `readNotes`). */
    readBackCalls: z.number().int(),
    /**
     * The health success rate (docs/OPS_CONSOLE.md, "What counts against health") over these 24
     * hours: successes / (successes + failures that count against health). Not successfulCalls /
     * totalCalls: 429s and data errors (a 404 for a missing application) are left out. Null with
     * no such call. `recent.successRate` is the same rate over the health window.
     */
    successRate: z.number().nullable(),
    /** Failed calls that count against health (5xx, timeouts, connection errors, 401/403, 408). */
    healthFailures: z.number().int(),
    /** 400, 404, 409, 422 and other 4xx but 401/403/408/429: the data's problem, see failure groups. */
    dataErrors: z.number().int(),
  }),
  syncJobs: z.object({
    pending: z.number().int(),
    processing: z.number().int(),
    completedLast24h: z.number().int(),
    failedLast24h: z.number().int(),
    /** All jobs now `failed`, whenever they failed: what "Retry all failed" would touch. */
    failed: z.number().int(),
    /** Jobs whose last write may have reached iCIMS unanswered: read back before any re-send. */
    inDoubt: z.number().int(),
    /** Jobs made for another iCIMS than the one the console points at now: not sent, cancellable. */
    held: z.number().int(),
  }),
  config: z.object({
    mode: z.enum(['mock', 'real']),
    /** The configured base URL; in mock mode the one real mode would use, or "" when none is set. */
    baseUrl: z.string(),
    /** Whether the credential of the selected auth method is present (never the credential). */
    hasApiKey: z.boolean(),
    authMethod: z.enum(['apiKey', 'oauth', 'basic']),
    apiStyle: z.enum(['applications', 'workflows']),
  }),
  /** Why `status` is what it is, one human sentence per reason; empty when healthy. */
  statusReasons: z.array(z.string()),
  alerts: z.array(alertSchema),
  circuit: circuitSnapshotSchema,
  worker: workerSnapshotSchema,
  dailyBudget: z.object({ limit: z.number().int(), used: z.number().int(), usedRatio: z.number(), resetsAt: isoTime }),
  /** The window the health rules look at (see docs/OPS_API.md). */
  recent: z.object({
    windowMinutes: z.number().int(),
    calls: z.number().int(),
    successRate: z.number().nullable(),
    rateLimitHits: z.number().int(),
    healthFailures: z.number().int(),
    dataErrors: z.number().int(),
  }),
  recentFailures: z.array(recentFailureSchema),
  forecast: forecastSchema,
  /** Issues open now (snoozed ones not counted); GET /api/issues lists them. */
  openIssues: z.number().int(),
  /** Team mode only: every engine of the team, lost ones included for 24 h. */
  nodes: z.array(teamNodeSchema).optional(),
  /** Team mode only. */
  team: teamSnapshotSchema.optional(),
  generatedAt: isoTime,
});
export type OpsSnapshot = z.infer<typeof opsSnapshotSchema>;

export const latencyBucketSchema = z.object({
  /** Start of the bucket, ISO time. */
  t: isoTime,
  count: z.number().int(),
  avgMs: z.number().nullable(),
  p95Ms: z.number().nullable(),
  errors: z.number().int(),
});
export type LatencyBucket = z.infer<typeof latencyBucketSchema>;

export const latencySeriesSchema = z.object({
  from: isoTime,
  to: isoTime,
  bucketMinutes: z.number().int(),
  buckets: z.array(latencyBucketSchema),
});
export type LatencySeries = z.infer<typeof latencySeriesSchema>;
