/** Headless mode only: the browser has no (or an expired) session cookie. */
export function SignedOutPage() {
  return (
    <main className="signed-out" data-testid="signed-out">
      <div className="signed-out-panel">
        <h1>This console session is not signed in</h1>
        <p>
          Open the sign-in link printed by <code>npm run headless</code> in the terminal where the console is running. The link works once and signs this
          browser in.
        </p>
        <p className="muted">Lost the link? Restart the console to print a new one.</p>
      </div>
    </main>
  );
}
