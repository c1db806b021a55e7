import type { Database } from 'better-sqlite3';
import type { AlertSettingsValues, AlertSettingsView } from '../../../shared/alert-settings';
import { alertSettingsValuesSchema, DEFAULT_ALERT_SETTINGS } from '../../../shared/alert-settings';
import { ConsoleApiError } from '../../../shared/console-api';
import type { Logger } from '../logger';
import type { SecretStore } from '../settings/secret-store';
import { SettingsRepository } from '../settings/settings-repository';

const VALUES_KEY = 'alerts.values';
const WEBHOOK_KEY = 'secret.webhookUrl';

export interface SaveAlertSettings {
  values: Partial<AlertSettingsValues>;
  webhookUrl?: string | null | undefined;
}

/**
 * The Alerts part of Settings. The webhook URL is encrypted with the host's SecretStore like the
 * iCIMS secrets (whoever holds a Slack webhook URL can post to the channel) and is only ever
 * returned to the engine's own webhook sender, never to a transport.
 */
export class AlertSettingsService {
  private readonly repo: SettingsRepository;
  private cachedUrl: { cipher: string | null; url: string | null } | null = null;

  constructor(
    db: Database,
    private readonly secretStore: SecretStore,
    private readonly logger: Logger,
  ) {
    this.repo = new SettingsRepository(db);
  }

  values(): AlertSettingsValues {
    const raw = this.repo.get(VALUES_KEY);
    if (!raw) return DEFAULT_ALERT_SETTINGS;
    const parsed = alertSettingsValuesSchema.partial().safeParse(JSON.parse(raw));
    if (!parsed.success) {
      this.logger.log('warn', 'alerts.settings_unreadable', {
        issues: parsed.error.issues.map((i) => i.path.join('.')),
      });
      return DEFAULT_ALERT_SETTINGS;
    }
    return { ...DEFAULT_ALERT_SETTINGS, ...parsed.data };
  }

  /** The saved webhook URL, decrypted; null when none is saved or it cannot be read here. */
  webhookUrl(): string | null {
    const cipher = this.repo.get(WEBHOOK_KEY);
    if (this.cachedUrl && this.cachedUrl.cipher === cipher) return this.cachedUrl.url;
    let url: string | null = null;
    if (cipher) {
      try {
        url = this.secretStore.decrypt(cipher);
      } catch (error) {
        this.logger.log('warn', 'alerts.webhook_unreadable', { error: (error as Error).message });
      }
    }
    this.cachedUrl = { cipher, url };
    return url;
  }

  view(): AlertSettingsView {
    const url = this.webhookUrl();
    return { values: this.values(), webhookUrlSet: url !== null, webhookHost: url ? safeHost(url) : null };
  }

  save(input: SaveAlertSettings): AlertSettingsView {
    const merged = alertSettingsValuesSchema.safeParse({ ...this.values(), ...input.values });
    if (!merged.success) {
      throw new ConsoleApiError(
        'invalid_input',
        merged.error.issues.map((i) => i.message).join('; '),
        merged.error.issues.map((i) => ({ path: `values.${i.path.join('.')}`, message: i.message })),
      );
    }
    let cipher: string | null | undefined;
    if (input.webhookUrl !== undefined) {
      try {
        cipher = input.webhookUrl ? this.secretStore.encrypt(input.webhookUrl) : null;
      } catch (error) {
        throw new ConsoleApiError(
          'unavailable',
          `The webhook URL cannot be stored safely here: ${(error as Error).message}`,
        );
      }
    }
    this.repo.transaction(() => {
      this.repo.set(VALUES_KEY, JSON.stringify(merged.data));
      if (cipher !== undefined) this.repo.set(WEBHOOK_KEY, cipher);
    });
    this.logger.log('info', 'alerts.settings_saved', {
      fields: Object.keys(input.values),
      webhookUrl: input.webhookUrl === undefined ? 'unchanged' : input.webhookUrl ? 'replaced' : 'cleared',
    });
    return this.view();
  }
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
