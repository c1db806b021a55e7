import { inferAuthMethod } from '../../../../shared/settings-rules';
import { SecretField } from './fields/SecretField';
import { SelectField } from './fields/SelectField';
import { TextField } from './fields/TextField';
import { SecretStorageWarning } from './SecretStorageWarning';
import type { SettingsBinding } from './settings-binding';
import { AUTH_METHOD_NAME, AUTH_OPTIONS, FIELD_LABELS } from './settings-fields';
import { isFieldVisible } from './settings-visibility';

/** Only the fields of the auth method in effect are shown; the others keep their saved values. */
export function CredentialsSection({ b }: { b: SettingsBinding }) {
  const method = inferAuthMethod(b.resolved);
  const authOptions = [{ value: '', label: `Inferred from the credentials (now: ${AUTH_METHOD_NAME[method]})` }, ...AUTH_OPTIONS];
  const secretProps = (field: 'apiKey' | 'clientSecret' | 'password') => ({
    label: FIELD_LABELS[field],
    saved: b.view.secrets[field],
    draft: b.draft.secrets[field],
    onChange: (draft: Parameters<SettingsBinding['setSecret']>[1]) => b.setSecret(field, draft),
    error: b.errorFor(field),
    lockedBy: b.lockedBy(field),
  });
  // How secrets are kept at rest matters only where one can be entered here: with every shown
  // secret set by the environment, nothing is ever stored by this screen.
  const canStoreSecret = (['apiKey', 'clientSecret', 'password'] as const).some((field) => isFieldVisible(field, b.resolved) && !b.lockedBy(field));
  return (
    <fieldset className="settings-section">
      <legend>Credentials</legend>
      <p className="section-intro">Secrets are write-only: once saved they are never shown again, only whether one is stored.</p>
      {!b.view.secretStorage.secure && canStoreSecret ? <SecretStorageWarning storage={b.view.secretStorage} /> : null}
      <div className="field-grid">
        <SelectField
          label={FIELD_LABELS.authMethod}
          value={b.text('authMethod')}
          options={authOptions}
          onChange={(v) => b.setValue('authMethod', v)}
          lockedBy={b.lockedBy('authMethod')}
          error={b.errorFor('authMethod')}
        />
        <div className="field-spacer" />
        {isFieldVisible('apiKey', b.resolved) ? <SecretField {...secretProps('apiKey')} hint="Sent as Authorization: Bearer <key>. At least 10 characters." /> : null}
        {isFieldVisible('clientId', b.resolved) ? (
          <>
            <TextField label={FIELD_LABELS.clientId} mono value={b.text('clientId')} onChange={(v) => b.setValue('clientId', v)} lockedBy={b.lockedBy('clientId')} error={b.errorFor('clientId')} />
            <SecretField {...secretProps('clientSecret')} />
            <TextField
              label={FIELD_LABELS.tokenUrl}
              type="url"
              mono
              wide
              value={b.text('tokenUrl')}
              onChange={(v) => b.setValue('tokenUrl', v)}
              placeholder="e.g. https://login.icims.com/oauth/token"
              hint="The OAuth 2.0 token endpoint (client-credentials grant)."
              lockedBy={b.lockedBy('tokenUrl')}
              error={b.errorFor('tokenUrl')}
            />
          </>
        ) : null}
        {isFieldVisible('username', b.resolved) ? (
          <>
            <TextField label={FIELD_LABELS.username} value={b.text('username')} onChange={(v) => b.setValue('username', v)} lockedBy={b.lockedBy('username')} error={b.errorFor('username')} />
            <SecretField {...secretProps('password')} />
          </>
        ) : null}
      </div>
    </fieldset>
  );
}
