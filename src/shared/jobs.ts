import { z } from 'zod';
import { applicationIdSchema, EVENT_TYPES } from './scheduling-event';

/**
 * `held`: made for another iCIMS than the console points at now (docs/INTERFACES.md §6): never
 * sent until the console points there again, or cancelled.
 */
export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled', 'held'] as const;
export const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;

const isoTime = z.string();

/** One row of `GET /api/jobs` (docs/INTERFACES.md §3) and of the Jobs screen. */
export const jobSummarySchema = z.object({
  id: z.number().int(),
  eventId: z.string(),
  type: z.enum(EVENT_TYPES),
  applicationId: z.string(),
  status: jobStatusSchema,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  runAfter: isoTime.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** The last write may have reached iCIMS unanswered: a read-back is owed before it is sent again. */
  inDoubt: z.boolean(),
  /** The iCIMS this job's note may be written to ("made for …"); null only for a job from before jobs recorded it. */
  destination: z.string().nullable(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

/** One try of a job against iCIMS, as the worker recorded it. */
export const jobAttemptSchema = z.object({
  at: isoTime,
  /** `initial`, `retry 1`…, `manual retry`: what kind of try it was. */
  label: z.string(),
  /**
   * `in_doubt`: the write may have reached iCIMS unanswered ("unknown — will check iCIMS before
   * re-sending"); `found_in_icims`: the read-back found the note, nothing was sent again;
   * `not_found_written`: the read-back did not find it, so it was written.
   */
  outcome: z.enum([
    'success',
    'retryable_failure',
    'permanent_failure',
    'rate_limited',
    'circuit_open',
    'released',
    'in_doubt',
    'found_in_icims',
    'not_found_written',
  ]),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type JobAttempt = z.infer<typeof jobAttemptSchema>;

export const jobDetailSchema = jobSummarySchema.extend({
  entityType: z.string(),
  entityId: z.string(),
  noteText: z.string(),
  idempotencyKey: z.string(),
  /** The event as it was stored. */
  event: z.record(z.string(), z.unknown()),
  leaseExpiresAt: isoTime.nullable(),
  completedAt: isoTime.nullable(),
  /** The note's id in iCIMS (from the 201, or the note a read-back found), when known. */
  icimsNoteId: z.string().nullable(),
  history: z.array(jobAttemptSchema),
});
export type JobDetail = z.infer<typeof jobDetailSchema>;

const isoDate = z.iso.datetime({ offset: true });

export const listJobsInputSchema = z.object({
  status: jobStatusSchema.optional(),
  applicationId: applicationIdSchema.optional(),
  /**
   * Free text: part of an application id or event id, or of the candidate's name; case does not
   * matter (`app-71267` and `71267` both find `APP-71267`).
   */
  q: z.string().trim().min(1).max(200).optional(),
  type: z.enum(EVENT_TYPES).optional(),
  /** Stored at or after / before these times (ISO-8601 with offset). */
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** A failure group's key: only jobs with that cause (see failure-groups.ts). */
  cause: z.string().min(1).max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Opaque; taken from a previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
});
export type ListJobsInput = z.input<typeof listJobsInputSchema>;

export const jobPageSchema = z.object({
  jobs: z.array(jobSummarySchema),
  nextCursor: z.string().nullable(),
});
export type JobPage = z.infer<typeof jobPageSchema>;

export const jobCountsSchema = z.object({
  pending: z.number().int(),
  processing: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  held: z.number().int(),
});
export type JobCounts = z.infer<typeof jobCountsSchema>;

/** `GET /api/applications/:applicationId/timeline` (docs/INTERFACES.md §3): did each note land, and when. */
/** The destination of a job made in mock mode (see the engine's sync/destination.ts). */
export const MOCK_DESTINATION = 'mock (simulated iCIMS)';

/** Whether a job's note may have a page in a real iCIMS: not one made in mock mode. */
export const madeForRealIcims = (destination: string | null): boolean => destination !== MOCK_DESTINATION;

export const timelineEventSchema = z.object({
  eventId: z.string(),
  type: z.enum(EVENT_TYPES),
  receivedAt: isoTime,
  jobId: z.number().int(),
  status: jobStatusSchema,
  note: z.string(),
  /** When iCIMS took the note; null while it has not landed. */
  landedAt: isoTime.nullable(),
  /** The note's id in iCIMS, where the console knows it. */
  icimsNoteId: z.string().nullable(),
  attempts: z.number().int(),
  candidateName: z.string().nullable(),
  /** The iCIMS the note was made for (mode, base URL, account); null for jobs older than that record. */
  destination: z.string().nullable(),
});
export const applicationTimelineSchema = z.object({
  applicationId: z.string(),
  events: z.array(timelineEventSchema),
});
export type ApplicationTimeline = z.infer<typeof applicationTimelineSchema>;
