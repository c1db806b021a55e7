import { z } from 'zod';

/**
 * The audit trail: one entry per action a person took in the console or through the local API.
 * `action` is a stable name (the Activity screen's `data-action`); `detail` is human text that
 * never holds a secret value (a settings change names the fields, not what they were set to).
 */
export const AUDIT_ACTIONS = [
  'retry',
  'cancel',
  'retry_all_failed',
  'group_retry',
  'group_cancel',
  'selection_retry',
  'selection_cancel',
  'pause',
  'resume',
  'breaker_reset',
  'settings_change',
  'test_connection',
  'test_webhook',
  'issue_resolve',
  'issue_snooze',
  'diagnostics',
  'sign_in',
  'sign_out',
  'token_reveal',
  'token_rotate',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  retry: 'Retried a job',
  cancel: 'Cancelled a job',
  retry_all_failed: 'Retried all failed jobs',
  group_retry: 'Retried a failure group',
  group_cancel: 'Cancelled a failure group',
  selection_retry: 'Retried selected jobs',
  selection_cancel: 'Cancelled selected jobs',
  pause: 'Paused the worker',
  resume: 'Resumed the worker',
  breaker_reset: 'Reset the circuit breaker',
  settings_change: 'Changed settings',
  test_connection: 'Tested the iCIMS connection',
  test_webhook: 'Sent a test webhook',
  issue_resolve: 'Resolved an issue',
  issue_snooze: 'Snoozed an issue',
  diagnostics: 'Downloaded a diagnostics bundle',
  sign_in: 'Signed in',
  sign_out: 'Signed out',
  token_reveal: 'Revealed a console token',
  token_rotate: 'Rotated a console token',
};

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.object({ kind: z.enum(['desktop', 'session', 'token', 'system']), label: z.string() }),
  action: z.enum(AUDIT_ACTIONS),
  jobId: z.number().int().nullable(),
  detail: z.string().nullable(),
  result: z.enum(['ok', 'error']),
  error: z.string().nullable(),
  /** Team mode: the engine (SYNC_NODE_NAME) of the console the action was taken in. */
  node: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const listAuditInputSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** The id of the last entry of the previous page: the next page starts below it. */
    cursor: z.coerce.number().int().positive().optional(),
    jobId: z.coerce.number().int().positive().optional(),
  })
  .strict()
  .default({ limit: 50 });

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextCursor: z.number().int().nullable(),
  /** Team mode, the team database unreachable: only this console's own entries are listed. */
  teamUnavailable: z.boolean().optional(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
