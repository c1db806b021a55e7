import { LOGIN_PAGE_PATH, SIGN_IN_PATH, SIGN_OUT_PATH } from '../../../shared/transport';
import type { ObservableValue } from './observable-value';
import { createObservableValue } from './observable-value';

/** Why the sign-in page is shown: first visit, a used or expired link, a session that ended, Sign out. */
export type SignedOutReason = 'none' | 'link_invalid' | 'ended' | 'signed_out';

export type SessionView =
  { status: 'signedIn'; label: string } | { status: 'signingIn' } | { status: 'signedOut'; reason: SignedOutReason };

export interface BrowserSession {
  readonly view: ObservableValue<SessionView>;
  /** The session token to send as `Authorization: Bearer`, or null when signed out. */
  token(): string | null;
  /** Signs in with the API token typed on the sign-in page; resolves to an error sentence or null. */
  signInWithApiToken(apiToken: string): Promise<string | null>;
  signOut(): Promise<void>;
  /** The server refused the token (401): the session expired or was signed out elsewhere. */
  ended(): void;
}

const STORAGE_KEY = 'icims-sync-console.session';

interface StoredSession {
  token: string;
  label: string;
}

/**
 * The headless console's sign-in, browser side. The session token lives in this origin's
 * localStorage — scheme, host AND port — so a page served by another program on another port of
 * this machine can neither read it nor have the browser send it (unlike a cookie, which every
 * port of 127.0.0.1 receives). It is sent only by our own fetch calls, as a header. See
 * docs/SECURITY.md for the trade-off (a script injected into this origin could read it; the CSP
 * allows no script but our own).
 */
export function createBrowserSession(storage: Storage = window.localStorage): BrowserSession {
  let stored = readStored(storage);
  const view = createObservableValue<SessionView>(
    stored ? { status: 'signedIn', label: stored.label } : { status: 'signedOut', reason: 'none' },
  );

  const forget = (reason: SignedOutReason) => {
    stored = null;
    storage.removeItem(STORAGE_KEY);
    view.set({ status: 'signedOut', reason });
  };

  const signIn = async (body: { code: string } | { apiToken: string }): Promise<string | null> => {
    let response: Response;
    try {
      response = await fetch(SIGN_IN_PATH, {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
    } catch {
      return 'The console server is not reachable; is the console still running?';
    }
    const answer = (await response.json().catch(() => null)) as {
      token?: string;
      label?: string;
      message?: string;
    } | null;
    if (!response.ok || typeof answer?.token !== 'string') {
      return answer?.message ?? `Sign-in failed (HTTP ${response.status}).`;
    }
    stored = { token: answer.token, label: answer.label ?? 'This browser' };
    storage.setItem(STORAGE_KEY, JSON.stringify(stored));
    view.set({ status: 'signedIn', label: stored.label });
    return null;
  };

  // The printed one-time link lands on /login?code=…: swap the code for a session, then take the
  // code out of the address bar and history (it is used up either way).
  const code =
    window.location.pathname === LOGIN_PAGE_PATH ? new URLSearchParams(window.location.search).get('code') : null;
  if (code) {
    window.history.replaceState(null, '', '/');
    view.set({ status: 'signingIn' });
    void signIn({ code }).then((error) => {
      if (error === null) return;
      // A browser that was already signed in keeps its session; the link is simply spent.
      if (stored) view.set({ status: 'signedIn', label: stored.label });
      else forget('link_invalid');
    });
  }

  return {
    view,
    token: () => stored?.token ?? null,
    signInWithApiToken: (apiToken) => signIn({ apiToken }),
    async signOut() {
      const token = stored?.token;
      forget('signed_out');
      if (!token) return;
      await fetch(SIGN_OUT_PATH, {
        method: 'POST',
        credentials: 'omit',
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => undefined);
    },
    ended() {
      if (stored) forget('ended');
    },
  };
}

function readStored(storage: Storage): StoredSession | null {
  try {
    const parsed = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as Partial<StoredSession> | null;
    return typeof parsed?.token === 'string' && typeof parsed.label === 'string'
      ? { token: parsed.token, label: parsed.label }
      : null;
  } catch {
    return null;
  }
}
