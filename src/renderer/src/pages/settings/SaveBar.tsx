import type { ConnectionTestResult as Result, SettingsView } from '../../../../shared/settings';
import type { AuthMethod } from '../../../../shared/settings-rules';
import { RelativeTime } from '../../components/RelativeTime';
import { readOnlyButton, useReadOnly } from '../../hooks/use-read-only';
import { ConnectionTestResult } from './ConnectionTestResult';
import { SecretStorageWarning } from './SecretStorageWarning';

interface SaveBarProps {
  view: SettingsView;
  authMethod: AuthMethod;
  dirty: boolean;
  pendingSecret: boolean;
  blockingCount: number;
  formError: string | null;
  unplacedIssues: string[];
  savedAt: string | null;
  saving: boolean;
  testing: boolean;
  testResult: Result | undefined;
  testError: string | null;
  onTest: () => void;
  onDiscard: () => void;
}

/** Save / Test connection, and everything they have to say, kept together at the bottom of the form. */
export function SaveBar(props: SaveBarProps) {
  const { view, authMethod, dirty, pendingSecret, blockingCount, formError, unplacedIssues, savedAt, saving, testing } =
    props;
  const readOnly = useReadOnly();
  return (
    <div className="save-bar">
      {pendingSecret && !view.secretStorage.secure ? (
        <SecretStorageWarning storage={view.secretStorage} authMethod={authMethod} compact />
      ) : null}
      {formError || unplacedIssues.length > 0 ? (
        <div className="callout bad" role="alert">
          {formError ? <p>{formError}</p> : null}
          {unplacedIssues.length > 0 ? (
            <ul>
              {unplacedIssues.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="save-row">
        <div className="button-row">
          <button type="submit" className="button primary" disabled={!dirty || saving} {...readOnlyButton(readOnly)}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="button" disabled={testing} onClick={props.onTest}>
            {testing ? 'Testing…' : 'Test connection'}
          </button>
          {dirty ? (
            <button type="button" className="button ghost" onClick={props.onDiscard}>
              Discard changes
            </button>
          ) : null}
        </div>
        <p className="save-state muted" role="status">
          {readOnly ? (
            'Read-only: this console cannot save settings (see the banner above). Test connection still works.'
          ) : blockingCount > 0 ? (
            `${blockingCount} ${blockingCount === 1 ? 'field needs' : 'fields need'} attention before saving.`
          ) : dirty ? (
            'Unsaved changes. Test connection uses them before you save.'
          ) : savedAt ? (
            <>
              Saved <RelativeTime iso={savedAt} />; applied without a restart.
            </>
          ) : (
            'No unsaved changes.'
          )}
        </p>
      </div>
      <div className="test-region" aria-live="polite">
        <ConnectionTestResult result={props.testResult} error={props.testError} />
      </div>
    </div>
  );
}
