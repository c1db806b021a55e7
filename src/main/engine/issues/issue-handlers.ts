import type { ConsoleApiHandlers } from '../../../shared/console-api';
import { SYSTEM_ACTOR } from '../../../shared/actor';
import type { AuditLog } from '../audit/audit-trail';
import type { Clock } from '../clock';
import type { AlertSettingsService } from './alert-settings-service';
import type { IssueStore } from './issue-store';
import type { WebhookSender } from './webhook-sender';

export type IssueAuditMethods =
  | 'listAudit'
  | 'listIssues'
  | 'resolveIssue'
  | 'snoozeIssue'
  | 'getAlertSettings'
  | 'saveAlertSettings'
  | 'testWebhook'
  | 'getDiagnostics';

export interface IssueHandlerDeps {
  clock: Clock;
  audit: AuditLog;
  issues: IssueStore;
  alertSettings: AlertSettingsService;
  webhook: WebhookSender;
  diagnostics: (includePersonalData: boolean) => Promise<Record<string, unknown>>;
  /** Issues or alert settings changed: the renderer refetches. */
  changed: () => void;
  /** The webhook URL changed: the redactor must learn it. */
  secretsChanged: () => void;
}

/** The ConsoleApi methods of issues, alerts settings, the audit trail and diagnostics. */
export function createIssueHandlers(deps: IssueHandlerDeps): Pick<ConsoleApiHandlers, IssueAuditMethods> {
  return {
    async listAudit(input) {
      return deps.audit.list(input);
    },
    async listIssues() {
      return deps.issues.list(deps.clock.now());
    },
    async resolveIssue({ id }, context) {
      const issue = deps.issues.resolve(id, (context?.actor ?? SYSTEM_ACTOR).label, deps.clock.now());
      deps.changed();
      return issue;
    },
    async snoozeIssue({ id, minutes }, context) {
      const issue = deps.issues.snooze(id, minutes, (context?.actor ?? SYSTEM_ACTOR).label, deps.clock.now());
      deps.changed();
      return issue;
    },
    async getAlertSettings() {
      return deps.alertSettings.view();
    },
    async saveAlertSettings(input) {
      const view = deps.alertSettings.save({ values: input.values, webhookUrl: input.webhookUrl });
      if (input.webhookUrl !== undefined) deps.secretsChanged();
      deps.changed();
      return view;
    },
    async testWebhook() {
      return deps.webhook.sendTest();
    },
    async getDiagnostics({ includePersonalData }) {
      return deps.diagnostics(includePersonalData);
    },
  };
}
