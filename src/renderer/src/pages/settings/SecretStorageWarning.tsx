import type { SettingsView } from '../../../../shared/settings';

/** Shown before any secret is saved: the admin decides knowing how it is kept at rest. */
export function SecretStorageWarning({
  storage,
  compact = false,
}: {
  storage: SettingsView['secretStorage'];
  compact?: boolean;
}) {
  const text = storage.warning ?? `Secrets are stored with "${storage.backend}", which only obfuscates them on disk.`;
  if (compact) {
    return (
      <div className="callout warn compact" role="note">
        The secret you entered will be saved <strong>without secure encryption</strong> on this machine (see Credentials
        above).
      </div>
    );
  }
  return (
    <div className="callout warn" role="note" data-testid="secret-storage-warning">
      <strong>Secrets on this machine are not encrypted securely.</strong> {text}
    </div>
  );
}
