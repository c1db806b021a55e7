import { z } from 'zod';

/**
 * Issues: problems that last until they are solved. A condition the engine watches (the alert
 * table's and a few more) opens an issue; it stays, counting, until the condition clears or a
 * person resolves it, and can be snoozed for a while. Its history is kept.
 */
export const ISSUE_KINDS = [
  'auth_failure',
  'circuit_open',
  'rate_limited',
  'success_rate_low',
  'failure_group',
  'budget',
  'events_stopped',
  'pending_too_old',
] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

export const ISSUE_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number];

export const issueEventSchema = z.object({
  at: z.string(),
  /** opened, escalated, snoozed, unsnoozed, resolved */
  event: z.string(),
  /** Who, for a person's action; null for the engine. */
  actor: z.string().nullable(),
  detail: z.string().nullable(),
});
export type IssueEvent = z.infer<typeof issueEventSchema>;

export const issueSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  kind: z.enum(ISSUE_KINDS),
  severity: z.enum(ISSUE_SEVERITIES),
  title: z.string(),
  detail: z.string(),
  state: z.enum(['open', 'snoozed', 'resolved']),
  firstSeen: z.string(),
  lastSeen: z.string(),
  /** How often the problem was seen: failed jobs in a group, rate-limit hits, or times it began. */
  count: z.number().int(),
  snoozedUntil: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** "condition cleared", or the label of the person who resolved it. */
  resolvedBy: z.string().nullable(),
  history: z.array(issueEventSchema),
});
export type Issue = z.infer<typeof issueSchema>;

export const issueListSchema = z.object({
  /** Issues open now (snoozed ones not counted). */
  openCount: z.number().int(),
  /** Open and snoozed issues first (newest first), then resolved ones of the last 7 days. */
  issues: z.array(issueSchema),
});
export type IssueList = z.infer<typeof issueListSchema>;

export const SNOOZE_CHOICES_MINUTES = [30, 60, 240, 1440] as const;

export const snoozeIssueInputSchema = z
  .object({
    id: z.number().int().positive(),
    minutes: z
      .number()
      .int()
      .min(1, 'must be at least 1 minute')
      .max(7 * 24 * 60, 'must be at most 7 days'),
  })
  .strict();
