import { inferAuthMethod } from '../../../../shared/settings-rules';
import { SecretField } from './fields/SecretField';
import { SelectField } from './fields/SelectField';
import { TextField } from './fields/TextField';
import { SecretStorageWarning } from './SecretStorageWarning';
import { TeamCredentialsNote } from './TeamCredentialsNote';
import type { SettingsBinding } from './settings-binding';
import { fieldProps } from './settings-binding';
import { AUTH_METHOD_NAME, AUTH_OPTIONS, FIELD_LABELS } from './settings-fields';
import { isFieldVisible } from './settings-visibility';

/** Only the fields of the auth method in effect are shown; the others keep their saved values. */
export function CredentialsSection({ b }: { b: SettingsBinding }) {
  const method = inferAuthMethod(b.resolved);
  const authOptions = [
    { value: '', label: `Inferred from the credentials (now: ${AUTH_METHOD_NAME[method]})` },
    ...AUTH_OPTIONS,
  ];
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
  const canStoreSecret = (['apiKey', 'clientSecret', 'password'] as const).some(
    (field) => isFieldVisible(field, b.resolved) && !b.lockedBy(field),
  );
  return (
    <fieldset className="settings-section">
      <legend>Credentials</legend>
      <p className="section-intro">
        Secrets are write-only: once saved they are never shown again, only whether one is stored.
      </p>
      <TeamCredentialsNote />
      {!b.view.secretStorage.secure && canStoreSecret ? (
        <SecretStorageWarning storage={b.view.secretStorage} authMethod={method} />
      ) : null}
      <div className="field-grid">
        <SelectField {...fieldProps(b, 'authMethod')} options={authOptions} />
        <div className="field-spacer" />
        {isFieldVisible('apiKey', b.resolved) ? (
          <SecretField {...secretProps('apiKey')} hint="Sent as Authorization: Bearer <key>. At least 10 characters." />
        ) : null}
        {isFieldVisible('clientId', b.resolved) ? (
          <>
            <TextField {...fieldProps(b, 'clientId')} mono />
            <SecretField {...secretProps('clientSecret')} />
            <TextField
              {...fieldProps(b, 'tokenUrl')}
              type="url"
              mono
              wide
              placeholder="e.g. https://login.icims.com/oauth/token"
              hint="The OAuth 2.0 token endpoint (client-credentials grant)."
            />
          </>
        ) : null}
        {isFieldVisible('username', b.resolved) ? (
          <>
            <TextField {...fieldProps(b, 'username')} />
            <SecretField {...secretProps('password')} />
          </>
        ) : null}
      </div>
    </fieldset>
  );
}
