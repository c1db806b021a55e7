import { useRef, useState } from 'react';
import type { SettingsRuleField } from '../../../../shared/settings-rules';
import type { SettingsView } from '../../../../shared/settings';
import { ConsoleApiError, errorMessage } from '../../api/console-api-error';
import { useToast } from '../../components/Toasts';
import { useLeaveGuard } from '../../hooks/use-leave-guard';
import { useSaveSettings, useTestConnection } from '../../hooks/use-settings';
import { ConnectionSection } from './ConnectionSection';
import { ConsoleSection } from './ConsoleSection';
import { CredentialsSection } from './CredentialsSection';
import { LimitsSection } from './LimitsSection';
import type { SettingsBinding } from './settings-binding';
import type { SettingsDraft } from './settings-draft';
import { changeCount, EMPTY_DRAFT, inputValue, newSecrets, resolveValues, toSaveInput } from './settings-draft';
import { envNameFor } from './settings-fields';
import { clientIssues, fieldOfIssuePath } from './settings-issues';
import { SaveBar } from './SaveBar';
import { inferAuthMethod } from '../../../../shared/settings-rules';
import { isFieldVisible } from './settings-visibility';

interface ServerIssue {
  field: SettingsRuleField | null;
  message: string;
}

export function SettingsForm({ view }: { view: SettingsView }) {
  const [draft, setDraft] = useState<SettingsDraft>(EMPTY_DRAFT);
  const [serverIssues, setServerIssues] = useState<ServerIssue[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const save = useSaveSettings();
  const test = useTestConnection();
  const toast = useToast();

  const lockedBy = (field: SettingsRuleField) => (view.envLocked.includes(field) ? (envNameFor(field) ?? field) : null);
  const issues = clientIssues(view, draft);
  // An environment value the admin cannot change here must not block saving the rest.
  const blocking = issues.filter((issue) => !lockedBy(issue.field));
  const changes = changeCount(view, draft);
  const dirty = changes > 0;
  useLeaveGuard(
    dirty
      ? `${changes === 1 ? '1 setting was' : `${changes} settings were`} changed here and not saved. Leaving Settings discards ${changes === 1 ? 'it' : 'them'}.`
      : null,
  );

  const forgetServerIssue = (field: SettingsRuleField) =>
    setServerIssues((all) => all.filter((issue) => issue.field !== field));
  const binding: SettingsBinding = {
    view,
    draft,
    resolved: resolveValues(view, draft),
    text: (field) => String(inputValue(view, draft, field)),
    setValue: (field, value) => {
      setDraft((d) => ({ ...d, values: { ...d.values, [field]: value } }));
      forgetServerIssue(field);
    },
    setSecret: (field, secret) => {
      setDraft((d) => {
        const secrets = { ...d.secrets };
        if (secret) secrets[field] = secret;
        else delete secrets[field];
        return { ...d, secrets };
      });
      forgetServerIssue(field);
    },
    errorFor: (field) =>
      serverIssues.find((i) => i.field === field)?.message ?? issues.find((i) => i.field === field)?.message ?? null,
    lockedBy,
  };

  const focusFirstInvalid = () => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();

  const onSave = () => {
    setFormError(null);
    if (blocking.length > 0) {
      focusFirstInvalid();
      return;
    }
    save.mutate(toSaveInput(view, draft), {
      onSuccess: () => {
        setDraft(EMPTY_DRAFT);
        setServerIssues([]);
        setSavedAt(new Date().toISOString());
        toast('success', 'Settings saved and applied.');
      },
      onError: (error) => {
        const issuesFromServer = error instanceof ConsoleApiError ? (error.issues ?? []) : [];
        setServerIssues(
          issuesFromServer.map((issue) => ({ field: fieldOfIssuePath(issue.path), message: issue.message })),
        );
        setFormError(`Not saved: ${errorMessage(error)}`);
        requestAnimationFrame(focusFirstInvalid);
      },
    });
  };

  const onTest = () => {
    if (blocking.length > 0) {
      focusFirstInvalid();
      return;
    }
    test.mutate({ values: toSaveInput(view, draft).values, secrets: newSecrets(draft) });
  };

  // Problems the admin cannot see next to a field: hidden fields, or server issues with no field.
  const unplaced = [
    ...serverIssues.filter((i) => i.field === null || !isFieldVisible(i.field, binding.resolved)).map((i) => i.message),
    ...blocking.filter((i) => !isFieldVisible(i.field, binding.resolved)).map((i) => i.message),
  ];

  return (
    <form
      ref={formRef}
      className="settings-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSave();
      }}
    >
      <ConnectionSection b={binding} />
      <CredentialsSection b={binding} />
      <LimitsSection b={binding} />
      <ConsoleSection b={binding} />
      <SaveBar
        view={view}
        authMethod={inferAuthMethod(binding.resolved)}
        dirty={dirty}
        pendingSecret={Object.values(newSecrets(draft)).some((s) => typeof s === 'string')}
        blockingCount={blocking.length}
        formError={formError}
        unplacedIssues={unplaced}
        savedAt={savedAt}
        saving={save.isPending}
        testing={test.isPending}
        testResult={test.data}
        testError={test.isError ? errorMessage(test.error) : null}
        onTest={onTest}
        onDiscard={() => {
          setDraft(EMPTY_DRAFT);
          setServerIssues([]);
          setFormError(null);
        }}
      />
    </form>
  );
}
