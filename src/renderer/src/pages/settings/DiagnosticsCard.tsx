import { useState } from 'react';
import { errorMessage } from '../../api/console-api-error';
import { useConsoleApi } from '../../api/console-context';

/** One file for support: versions, configuration without secrets, ops, issues, recent log lines. */
export function DiagnosticsCard() {
  const api = useConsoleApi();
  const [personal, setPersonal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const download = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const bundle = await api.getDiagnostics({ includePersonalData: personal });
      const name = `icims-sync-console-diagnostics-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
      const href = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = href;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      setMessage({ ok: true, text: `Saved ${name}.` });
    } catch (error) {
      setMessage({ ok: false, text: `No bundle: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card settings-card" aria-labelledby="diagnostics-title" data-testid="diagnostics">
      <h2 id="diagnostics-title" className="settings-card-title">
        Diagnostics
      </h2>
      <p className="section-intro">
        A file to send to whoever helps you: versions, configuration (never a secret), the ops snapshot, open issues,
        the last log lines (redacted) and database counts. Candidate names, e-mail addresses and note texts are left out
        unless you include them.
      </p>
      <label className="checkbox-row">
        <input type="checkbox" checked={personal} onChange={(e) => setPersonal(e.target.checked)} /> Include candidate
        names, e-mail addresses and note texts
      </label>
      <div className="button-row">
        <button type="button" className="button" disabled={busy} onClick={() => void download()}>
          {busy ? 'Preparing…' : 'Download diagnostics'}
        </button>
      </div>
      {message ? (
        <p className={`callout ${message.ok ? 'good' : 'bad'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </section>
  );
}
