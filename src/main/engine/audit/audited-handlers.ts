import type { CallContext, ConsoleApiHandlers, ConsoleMethod } from '../../../shared/console-api';
import type { AuditAction } from '../../../shared/audit';
import type { SettingsView } from '../../../shared/settings';
import type { AlertSettingsValues, AlertSettingsView } from '../../../shared/alert-settings';
import { FIELD_LABELS } from '../../../shared/settings-labels';
import type { SettingsRuleField } from '../../../shared/settings-rules';
import type { AuditLog, AuditRecord } from './audit-trail';

type Described = Omit<AuditRecord, 'actor' | 'action'>;

interface Rule<M extends ConsoleMethod> {
  action: AuditAction;
  /** What the entry says before the outcome is known (target job, which fields). */
  describe?: (input: Parameters<ConsoleApiHandlers[M]>[0]) => Described;
  /** What the answer adds: a count, or a failure the method reports as a value. */
  outcome?: (output: Awaited<ReturnType<ConsoleApiHandlers[M]>>) => Described;
}

type Rules = { [M in ConsoleMethod]?: Rule<M> };

/**
 * Wraps the engine's ConsoleApi so every action a person takes lands in the audit trail with who
 * asked (the transport's actor), what, on which job, and how it ended. Reads are not recorded.
 * A settings change is described by the labels of the fields it touched, never their values.
 */
export function withAuditTrail(
  api: ConsoleApiHandlers,
  audit: Pick<AuditLog, 'record'>,
  current: { settings: () => Promise<SettingsView>; alertSettings: () => Promise<AlertSettingsView> },
): ConsoleApiHandlers {
  const rules: Rules = {
    retryJob: { action: 'retry', describe: ({ id }) => ({ jobId: id }) },
    cancelJob: { action: 'cancel', describe: ({ id }) => ({ jobId: id }) },
    retryAllFailed: {
      action: 'retry_all_failed',
      outcome: ({ count }) => ({ detail: `${count} failed ${count === 1 ? 'job' : 'jobs'} queued again` }),
    },
    retryJobs: {
      action: 'selection_retry',
      outcome: ({ count }) => ({ detail: `${count} ${count === 1 ? 'job' : 'jobs'} queued again` }),
    },
    cancelJobs: {
      action: 'selection_cancel',
      outcome: ({ count }) => ({ detail: `${count} ${count === 1 ? 'job' : 'jobs'} cancelled` }),
    },
    retryFailureGroup: {
      action: 'group_retry',
      outcome: ({ count }) => ({ detail: `${count} ${count === 1 ? 'job' : 'jobs'} queued again` }),
    },
    cancelFailureGroup: {
      action: 'group_cancel',
      outcome: ({ count }) => ({ detail: `${count} ${count === 1 ? 'job' : 'jobs'} cancelled` }),
    },
    revealConsoleToken: { action: 'token_reveal', describe: ({ kind }) => ({ detail: `The ${kind} token` }) },
    rotateConsoleToken: { action: 'token_rotate', describe: ({ kind }) => ({ detail: `The ${kind} token` }) },
    pauseWorker: { action: 'pause' },
    resumeWorker: { action: 'resume' },
    resetBreaker: { action: 'breaker_reset' },
    testConnection: {
      action: 'test_connection',
      outcome: (result) => (result.ok ? { detail: result.message } : { error: result.message }),
    },
    resolveIssue: { action: 'issue_resolve', describe: ({ id }) => ({ detail: `Issue #${id}` }) },
    snoozeIssue: {
      action: 'issue_snooze',
      describe: ({ id, minutes }) => ({ detail: `Issue #${id} for ${minutes} minutes` }),
    },
    testWebhook: {
      action: 'test_webhook',
      outcome: (result) => (result.ok ? { detail: result.message } : { error: result.message }),
    },
    getDiagnostics: {
      action: 'diagnostics',
      describe: ({ includePersonalData }) => ({
        detail: includePersonalData ? 'With candidate data (asked for)' : 'Without candidate data',
      }),
    },
  };

  const wrapped = { ...api } as Record<ConsoleMethod, (input: unknown, context?: CallContext) => Promise<unknown>>;
  for (const [method, rule] of Object.entries(rules) as [ConsoleMethod, Rule<ConsoleMethod>][]) {
    const inner = api[method] as (input: unknown, context?: CallContext) => Promise<unknown>;
    wrapped[method] = async (input, context) => {
      const base: AuditRecord = {
        actor: context?.actor,
        action: rule.action,
        ...(rule.describe ? rule.describe(input as never) : {}),
      };
      try {
        const output = await inner.call(api, input, context);
        audit.record({ ...base, ...(rule.outcome ? mergeDetail(base, rule.outcome(output as never)) : {}) });
        return output;
      } catch (error) {
        audit.record({ ...base, error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    };
  }

  // Settings changes are described against what was saved before, so only real changes are named.
  const settingsChange =
    <I>(save: (input: I, context?: CallContext) => Promise<unknown>, describe: (input: I) => Promise<string>) =>
    async (input: unknown, context?: CallContext) => {
      const typed = input as I;
      const base: AuditRecord = { actor: context?.actor, action: 'settings_change', detail: await describe(typed) };
      try {
        const output = await save(typed, context);
        audit.record(base);
        return output;
      } catch (error) {
        audit.record({ ...base, error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    };
  wrapped.saveSettings = settingsChange(api.saveSettings.bind(api), async (input) =>
    changedFields(input, await current.settings().catch(() => null)),
  );
  wrapped.saveAlertSettings = settingsChange(api.saveAlertSettings.bind(api), async (input) =>
    changedAlertFields(input, await current.alertSettings().catch(() => null)),
  );
  return wrapped as ConsoleApiHandlers;
}

function mergeDetail(base: AuditRecord, extra: Described): Described {
  if (base.detail && extra.detail) return { ...extra, detail: `${base.detail} — ${extra.detail}` };
  return extra;
}

/** "Base URL, API key (replaced)": labels of the fields whose saved value the request changes. */
function changedFields(input: Parameters<ConsoleApiHandlers['saveSettings']>[0], before: SettingsView | null): string {
  const names: string[] = [];
  for (const [field, value] of Object.entries(input.values)) {
    if (value === undefined) continue;
    const previous = before?.values[field as keyof SettingsView['values']];
    if (before && previous === value) continue;
    names.push(FIELD_LABELS[field as SettingsRuleField] ?? field);
  }
  for (const [field, value] of Object.entries(input.secrets)) {
    if (value === undefined) continue;
    names.push(`${FIELD_LABELS[field as SettingsRuleField] ?? field} (${value ? 'replaced' : 'cleared'})`);
  }
  return names.length > 0 ? names.join(', ') : 'no field changed';
}

const ALERT_FIELD_LABELS: Record<keyof AlertSettingsValues, string> = {
  silenceMinutes: 'Silence alert',
  businessHours: 'Business hours',
  pendingAgeMinutes: 'Oldest pending job alert',
  webhookFormat: 'Webhook format',
};

function changedAlertFields(
  input: Parameters<ConsoleApiHandlers['saveAlertSettings']>[0],
  before: AlertSettingsView | null,
): string {
  const names: string[] = [];
  for (const [field, value] of Object.entries(input.values) as [keyof AlertSettingsValues, unknown][]) {
    if (value === undefined || (before && before.values[field] === value)) continue;
    names.push(ALERT_FIELD_LABELS[field]);
  }
  if (input.webhookUrl !== undefined) names.push(`Webhook URL (${input.webhookUrl ? 'replaced' : 'cleared'})`);
  return names.length > 0 ? names.join(', ') : 'no field changed';
}
