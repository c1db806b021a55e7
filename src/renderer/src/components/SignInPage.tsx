import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { BrowserSession, SignedOutReason } from '../api/browser-session';

const HEADINGS: Record<SignedOutReason, string> = {
  none: 'Sign in to the iCIMS Sync Console',
  link_invalid: 'This sign-in link was already used or has expired',
  ended: 'Your session ended',
  signed_out: 'You signed out',
};

const EXPLANATIONS: Record<SignedOutReason, string> = {
  none: 'Open the one-time sign-in link the console printed when it started, or sign in with its API token below.',
  link_invalid:
    'Each sign-in link works once and for 15 minutes. Sign in with the API token below, or restart the console to print a new link.',
  ended:
    'Sessions end after 12 hours without use, 7 days after sign-in, or when signed out. Sign in again to continue.',
  signed_out: 'This browser no longer has access to the console. Sign in again to continue.',
};

/**
 * Headless mode only: the console's own sign-in page, also what a used or expired link lands on.
 * The API token is the admin's (docs/OPS_API.md); the ingest token is refused with a sentence
 * saying which token to use.
 */
export function SignInPage({ session, reason }: { session: BrowserSession; reason: SignedOutReason }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [reason]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() === '') {
      setError('Paste the API token first.');
      return;
    }
    setBusy(true);
    const problem = await session.signInWithApiToken(token.trim());
    setBusy(false);
    if (problem) setError(problem);
  };

  return (
    <main className="signed-out" data-testid="signed-out" data-reason={reason}>
      <div className="signed-out-panel">
        <h1 ref={heading} tabIndex={-1}>
          {HEADINGS[reason]}
        </h1>
        <p>{EXPLANATIONS[reason]}</p>
        <form className="sign-in-form" onSubmit={(event) => void submit(event)} noValidate>
          <div className="field">
            <div className="field-label-row">
              <label htmlFor="sign-in-token">API token</label>
            </div>
            <input
              id="sign-in-token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={token}
              aria-invalid={error ? 'true' : 'false'}
              aria-describedby={error ? 'sign-in-error sign-in-hint' : 'sign-in-hint'}
              onChange={(event) => {
                setToken(event.target.value);
                setError(null);
              }}
            />
            <p className="field-hint" id="sign-in-hint">
              CONSOLE_API_TOKEN, or the <code>api-token</code> file in the console&apos;s data folder. Not the ingest
              token.
            </p>
            {error ? (
              <p className="field-error" id="sign-in-error" role="alert">
                {error}
              </p>
            ) : null}
          </div>
          <div className="button-row">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}
