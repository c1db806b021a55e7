import { z } from 'zod';
import { failureGroupListSchema, failureGroupRefSchema } from './failure-groups';
import { applicationIdSchema } from './scheduling-event';
import {
  applicationTimelineSchema,
  jobCountsSchema,
  jobDetailSchema,
  jobPageSchema,
  listJobsInputSchema,
} from './jobs';
import { latencySeriesSchema, opsSnapshotSchema } from './ops-snapshot';
import type { CallContext } from './actor';
import { consoleTokenRefSchema, consoleTokensViewSchema, revealedTokenSchema } from './console-tokens';
import type { IpcResult, PushEvent } from './transport';
import { connectionTestResultSchema, saveSettingsInputSchema, settingsViewSchema } from './settings';
import { auditPageSchema, listAuditInputSchema } from './audit';
import { issueListSchema, issueSchema, snoozeIssueInputSchema } from './issues';
import { alertSettingsViewSchema, saveAlertSettingsInputSchema, webhookTestResultSchema } from './alert-settings';

/**
 * ConsoleApi: every call the UI may make into the main process, with a zod schema for its input
 * and its output. The engine implements it once; Electron IPC and headless HTTP (`/rpc/<method>`)
 * both carry it, parsing every input with these schemas before the engine sees it.
 */

const noInput = z.object({}).strict().default({});
const jobRef = z.object({ id: z.number().int().positive() }).strict();
const jobIdsInput = z.object({ ids: z.array(z.number().int().positive()).min(1).max(20_000) }).strict();
const countResult = z.object({ count: z.number().int() });
const okResult = z.object({ ok: z.literal(true) });

export const consoleApiSchema = {
  getSnapshot: { input: noInput, output: opsSnapshotSchema },
  getLatencySeries: {
    input: z
      .object({ hours: z.number().int().min(1).max(168).default(24) })
      .strict()
      .default({ hours: 24 }),
    output: latencySeriesSchema,
  },
  listJobs: { input: listJobsInputSchema, output: jobPageSchema },
  getJobCounts: {
    // The list's filters but the status, so the status tabs count what the list shows.
    input: listJobsInputSchema
      .pick({ applicationId: true, q: true, type: true, from: true, to: true, cause: true })
      .strict()
      .default({}),
    output: jobCountsSchema,
  },
  getJob: { input: jobRef, output: jobDetailSchema },
  getApplicationTimeline: {
    input: z.object({ applicationId: applicationIdSchema }).strict(),
    output: applicationTimelineSchema,
  },
  retryJob: { input: jobRef, output: okResult },
  cancelJob: { input: jobRef, output: okResult },
  retryAllFailed: { input: noInput, output: countResult },
  /** The Jobs screen's row selection (or every job matching its filter), at most 20,000 at once. */
  retryJobs: { input: jobIdsInput, output: countResult },
  cancelJobs: { input: jobIdsInput, output: countResult },
  /** Failed, waiting and held jobs grouped by cause (failure-groups.ts). */
  listFailureGroups: { input: noInput, output: failureGroupListSchema },
  retryFailureGroup: { input: failureGroupRefSchema, output: countResult },
  cancelFailureGroup: { input: failureGroupRefSchema, output: countResult },
  pauseWorker: { input: noInput, output: okResult },
  resumeWorker: { input: noInput, output: okResult },
  resetBreaker: { input: noInput, output: okResult },
  getSettings: { input: noInput, output: settingsViewSchema },
  saveSettings: { input: saveSettingsInputSchema, output: settingsViewSchema },
  /** Tests the saved settings, or the given unsaved ones (merged over the saved ones). */
  testConnection: {
    input: saveSettingsInputSchema.optional().default({ values: {}, secrets: {} }),
    output: connectionTestResultSchema,
  },
  /** Where the console's own tokens come from (never the tokens). */
  getConsoleTokens: { input: noInput, output: consoleTokensViewSchema },
  /** Shows one of the console's own tokens to the admin who asked (Settings › Console tokens). */
  revealConsoleToken: { input: consoleTokenRefSchema, output: revealedTokenSchema },
  /** Replaces a generated token: the old one is refused from the next request on. */
  rotateConsoleToken: { input: consoleTokenRefSchema, output: revealedTokenSchema },
  /** The audit trail, newest first; `jobId` narrows it to one job's actions. */
  listAudit: { input: listAuditInputSchema, output: auditPageSchema },
  listIssues: { input: noInput, output: issueListSchema },
  resolveIssue: { input: z.object({ id: z.number().int().positive() }).strict(), output: issueSchema },
  snoozeIssue: { input: snoozeIssueInputSchema, output: issueSchema },
  getAlertSettings: { input: noInput, output: alertSettingsViewSchema },
  saveAlertSettings: { input: saveAlertSettingsInputSchema, output: alertSettingsViewSchema },
  testWebhook: { input: noInput, output: webhookTestResultSchema },
  /** The support bundle (docs/OPS_CONSOLE.md); candidate data only when asked for. */
  getDiagnostics: {
    input: z
      .object({ includePersonalData: z.boolean().default(false) })
      .strict()
      .default({ includePersonalData: false }),
    output: z.record(z.string(), z.unknown()),
  },
} as const;

export type ConsoleMethod = keyof typeof consoleApiSchema;
export const CONSOLE_METHODS = Object.keys(consoleApiSchema) as ConsoleMethod[];

export type MethodInput<M extends ConsoleMethod> = z.input<(typeof consoleApiSchema)[M]['input']>;
export type MethodOutput<M extends ConsoleMethod> = z.output<(typeof consoleApiSchema)[M]['output']>;
/** What an implementation receives: the input after parsing (defaults applied). */
export type ParsedInput<M extends ConsoleMethod> = z.output<(typeof consoleApiSchema)[M]['input']>;

/** The caller's view (renderer): inputs may omit defaults. */
export type ConsoleApi = { [M in ConsoleMethod]: (input: MethodInput<M>) => Promise<MethodOutput<M>> };

/** The implementer's view (engine): inputs arrive parsed. */
export type ConsoleApiHandlers = {
  [M in ConsoleMethod]: (input: ParsedInput<M>, context?: CallContext) => Promise<MethodOutput<M>>;
};

export * from './transport';
export * from './actor';

/**
 * What the preload exposes as `window.consoleApi`: one named function per method, answering an
 * IpcResult, plus a push subscription. The renderer's IPC transport adapts it to `ConsoleApi`.
 */
export type PreloadApi = { [M in ConsoleMethod]: (input: MethodInput<M>) => Promise<IpcResult<MethodOutput<M>>> } & {
  onPush(listener: (event: PushEvent) => void): () => void;
};

/** The error body of the local API and of both transports (docs/INTERFACES.md §3). */
export const apiErrorSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** Thrown by ConsoleApi implementations and re-created by transports on the renderer side. */
export class ConsoleApiError extends Error {
  constructor(
    readonly code:
      'invalid_input' | 'not_found' | 'conflict' | 'unauthorized' | 'forbidden' | 'unavailable' | 'internal',
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ConsoleApiError';
  }

  toBody(): ApiErrorBody {
    return this.issues
      ? { error: this.code, message: this.message, issues: this.issues }
      : { error: this.code, message: this.message };
  }
}
