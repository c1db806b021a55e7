import { z } from 'zod';

/**
 * Failed, waiting and held jobs grouped by cause, so a burst of one cause (200 notes for missing
 * applications) is read and handled as one thing. A cause is the job's state, iCIMS' HTTP status
 * and error code, and its message with the application id, numbers and ids evened out.
 */
export const failureGroupKindSchema = z.enum(['failed', 'waiting', 'held']);
export type FailureGroupKind = z.infer<typeof failureGroupKindSchema>;

export const failureGroupSchema = z.object({
  /** Opaque; names the group for Retry group / Cancel group. */
  key: z.string(),
  kind: failureGroupKindSchema,
  statusCode: z.number().int().nullable(),
  /** iCIMS' `errorCode`, when it gave one. */
  errorCode: z.string().nullable(),
  /** The normalised message ("404 Not Found: Application <application> does not exist"). */
  cause: z.string(),
  count: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  example: z.object({ jobId: z.number().int(), applicationId: z.string(), error: z.string().nullable() }),
  /** What it means and what to do, in plain words. */
  meaning: z.string(),
  action: z.string(),
  /** A retry fails again until something outside the console changes (a 404, a 400…). */
  permanent: z.boolean(),
  /** Held jobs: the iCIMS they were made for. */
  destination: z.string().nullable(),
  /** Which of the group's jobs Retry group may touch (held jobs cannot be retried here). */
  retryable: z.boolean(),
});
export type FailureGroup = z.infer<typeof failureGroupSchema>;

export const failureGroupListSchema = z.object({
  groups: z.array(failureGroupSchema),
  /** Failed jobs in groups whose cause is permanent: what "Retry all failed" would send to fail again. */
  failedPermanently: z.number().int(),
});
export type FailureGroupList = z.infer<typeof failureGroupListSchema>;

export const failureGroupRefSchema = z.object({ key: z.string().min(1).max(2000) }).strict();
