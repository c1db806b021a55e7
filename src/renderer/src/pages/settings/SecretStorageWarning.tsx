import type { SettingsView } from '../../../../shared/settings';
import type { AuthMethod } from '../../../../shared/settings-rules';
import { AUTH_METHOD_NAME } from './settings-fields';

/** The one secret each auth method needs, and the variable that keeps it out of the data folder. */
const METHOD_SECRET = {
  apiKey: { name: 'API key', variable: 'ICIMS_API_KEY' },
  oauth: { name: 'client secret', variable: 'ICIMS_CLIENT_SECRET' },
  basic: { name: 'password', variable: 'ICIMS_PASSWORD' },
} as const;

/** Shown before any secret is saved: the admin decides knowing how it is kept at rest. */
export function SecretStorageWarning({
  storage,
  authMethod,
  compact = false,
}: {
  storage: SettingsView['secretStorage'];
  /** The auth method chosen (saved or in the draft): the warning names its secret. */
  authMethod: AuthMethod;
  compact?: boolean;
}) {
  const secret = METHOD_SECRET[authMethod];
  const text = storage.warning ?? `Secrets are stored with "${storage.backend}", which only obfuscates them on disk.`;
  if (compact) {
    return (
      <div className="callout warn compact" role="note">
        The {secret.name} you entered will be saved <strong>without secure encryption</strong> on this machine (see
        Credentials above).
      </div>
    );
  }
  return (
    <div className="callout warn" role="note" data-testid="secret-storage-warning">
      <strong>Secrets on this machine are not encrypted securely.</strong> {text} With {AUTH_METHOD_NAME[authMethod]}{' '}
      auth that is the {secret.name}: set <code>{secret.variable}</code> in the environment to keep it off this disk.
    </div>
  );
}
