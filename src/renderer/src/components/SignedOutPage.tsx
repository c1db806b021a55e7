/** Headless mode only: the browser has no (or an expired) session cookie. */
export function SignedOutPage() {
  return (
    <main className="signed-out" data-testid="signed-out">
      <div className="signed-out-panel">
        <h1>This console session is not signed in</h1>
        <p>
          Open the sign-in link printed by <code>npm run headless</code> in the terminal where the console is running.
          The link works once and signs this browser in.
        </p>
        <p className="muted">
          Lost the link, or it was already used? Restart the console to print a new one, or ask the running console for
          one:{' '}
          <code>
            curl -X POST -H &quot;Authorization: Bearer $CONSOLE_API_TOKEN&quot; {window.location.origin}
            /api/session-links
          </code>
        </p>
      </div>
    </main>
  );
}
