import { useState } from 'react';
import type { AlertSettingsValues, AlertSettingsView } from '../../../../shared/alert-settings';
import { ConsoleApiError, errorMessage } from '../../api/console-api-error';
import { useConsoleApi } from '../../api/console-context';
import { QueryState } from '../../components/QueryState';
import { useAlertSettings, useSaveAlertSettings } from '../../hooks/use-issues';
import { FieldShell } from './fields/FieldShell';

type Draft = { [K in keyof AlertSettingsValues]: string };

const toDraft = (values: AlertSettingsValues): Draft => ({
  silenceMinutes: String(values.silenceMinutes),
  businessHours: values.businessHours,
  pendingAgeMinutes: String(values.pendingAgeMinutes),
  webhookFormat: values.webhookFormat,
});

/** Settings → Alerts: when silence or a stale queue is a problem, and where alerts are sent. */
export function AlertsSettingsCard() {
  const query = useAlertSettings();
  return (
    <section className="card settings-card" aria-labelledby="alerts-settings-title" data-testid="alert-settings">
      <h2 id="alerts-settings-title" className="settings-card-title">
        Alerts
      </h2>
      <QueryState query={query} skeletonLines={6}>
        {(view) => <AlertsForm view={view} />}
      </QueryState>
    </section>
  );
}

function AlertsForm({ view }: { view: AlertSettingsView }) {
  const api = useConsoleApi();
  const save = useSaveAlertSettings();
  const [draft, setDraft] = useState<Draft>(() => toDraft(view.values));
  const [url, setUrl] = useState('');
  const [clearUrl, setClearUrl] = useState(false);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [testing, setTesting] = useState(false);
  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  const submit = () => {
    setNotice(null);
    setIssues({});
    const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
    save.mutate(
      {
        values: {
          silenceMinutes: number(draft.silenceMinutes),
          businessHours: draft.businessHours,
          pendingAgeMinutes: number(draft.pendingAgeMinutes),
          webhookFormat: draft.webhookFormat as AlertSettingsValues['webhookFormat'],
        },
        ...(clearUrl ? { webhookUrl: null } : url.trim() !== '' ? { webhookUrl: url.trim() } : {}),
      },
      {
        onSuccess: (next) => {
          setDraft(toDraft(next.values));
          setUrl('');
          setClearUrl(false);
          setNotice({ ok: true, text: 'Alert settings saved.' });
        },
        onError: (error) => {
          const byField: Record<string, string> = {};
          if (error instanceof ConsoleApiError)
            for (const issue of error.issues ?? []) byField[issue.path.replace(/^values\./, '')] = issue.message;
          setIssues(byField);
          if (Object.keys(byField).length === 0) setNotice({ ok: false, text: `Not saved: ${errorMessage(error)}` });
        },
      },
    );
  };

  const test = async () => {
    setTesting(true);
    setNotice(null);
    try {
      const result = await api.testWebhook({});
      setNotice({ ok: result.ok, text: result.message });
    } catch (error) {
      setNotice({ ok: false, text: errorMessage(error) });
    } finally {
      setTesting(false);
    }
  };

  return (
    <form
      className="settings-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <fieldset className="settings-section">
        <legend>When to raise an issue</legend>
        <p className="section-intro">
          Issues stay open on the Issues screen until their problem clears or someone resolves them. Auth failures, an
          open circuit, rate limiting, a low success rate, a growing failure group and a running-out budget are always
          watched; these two are up to you.
        </p>
        <div className="field-grid">
          <FieldShell
            label="Silence alert (minutes)"
            hint="No scheduling event for this long opens “events stopped”. 0 = off."
            error={issues['silenceMinutes'] ?? null}
          >
            {(a11y) => (
              <input
                {...a11y}
                type="number"
                min={0}
                value={draft.silenceMinutes}
                onChange={(e) => set('silenceMinutes')(e.target.value)}
              />
            )}
          </FieldShell>
          <FieldShell
            label="Business hours"
            hint="Silence only counts inside these hours, in the Time zone for notes (Console section), e.g. Mon-Fri 09:00-17:00. Empty = around the clock."
            error={issues['businessHours'] ?? null}
          >
            {(a11y) => (
              <input
                {...a11y}
                type="text"
                placeholder="Mon-Fri 09:00-17:00"
                value={draft.businessHours}
                onChange={(e) => set('businessHours')(e.target.value)}
              />
            )}
          </FieldShell>
          <FieldShell
            label="Oldest pending job alert (minutes)"
            hint="A job still pending after this long opens an issue. 0 = off."
            error={issues['pendingAgeMinutes'] ?? null}
          >
            {(a11y) => (
              <input
                {...a11y}
                type="number"
                min={0}
                value={draft.pendingAgeMinutes}
                onChange={(e) => set('pendingAgeMinutes')(e.target.value)}
              />
            )}
          </FieldShell>
        </div>
      </fieldset>
      <fieldset className="settings-section">
        <legend>Webhook</legend>
        <p className="section-intro">
          Sent when an issue opens, escalates and resolves; retried with backoff if the receiver is down. The URL is a
          secret: it is stored encrypted and never shown again.
        </p>
        <div className="field-grid">
          <FieldShell
            label="Webhook URL"
            badge={
              view.webhookUrlSet ? (
                <span className="badge tone-good">saved{view.webhookHost ? ` (${view.webhookHost})` : ''}</span>
              ) : (
                <span className="badge tone-neutral">not set</span>
              )
            }
            hint={
              view.webhookUrlSet ? 'Enter a new URL to replace the saved one.' : 'e.g. a Slack incoming-webhook URL.'
            }
            error={issues['webhookUrl'] ?? null}
          >
            {(a11y) => (
              <input
                {...a11y}
                type="password"
                autoComplete="off"
                placeholder={view.webhookUrlSet ? '•••••••• (saved)' : 'https://hooks.slack.com/services/…'}
                value={url}
                onChange={(e) => {
                  setUrl(e.target.value);
                  setClearUrl(false);
                }}
              />
            )}
          </FieldShell>
          <FieldShell label="Webhook format" hint="Slack-compatible text, or plain JSON for your own tools.">
            {(a11y) => (
              <select {...a11y} value={draft.webhookFormat} onChange={(e) => set('webhookFormat')(e.target.value)}>
                <option value="slack">Slack-compatible ({'{ "text": … }'})</option>
                <option value="json">Plain JSON (event + issue)</option>
              </select>
            )}
          </FieldShell>
        </div>
        {view.webhookUrlSet ? (
          <label className="checkbox-row">
            <input type="checkbox" checked={clearUrl} onChange={(e) => setClearUrl(e.target.checked)} /> Remove the
            saved URL when saving
          </label>
        ) : null}
      </fieldset>
      <div className="button-row">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save alert settings'}
        </button>
        <button type="button" className="button" disabled={testing || !view.webhookUrlSet} onClick={() => void test()}>
          {testing ? 'Sending…' : 'Send test message'}
        </button>
      </div>
      {notice ? (
        <p
          className={`callout ${notice.ok ? 'good' : 'bad'}`}
          role={notice.ok ? 'status' : 'alert'}
          data-testid="alert-settings-notice"
        >
          {notice.text}
        </p>
      ) : null}
    </form>
  );
}
