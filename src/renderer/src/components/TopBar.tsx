import { useSyncExternalStore } from 'react';
import { useConsoleConnection } from '../api/console-context';
import type { Page } from '../hooks/use-hash-route';
import { routeHref } from '../hooks/use-hash-route';
import { HealthBadge } from './HealthBadge';
import { LiveIndicator } from './LiveIndicator';
import { ModeBadge } from './ModeBadge';
import { OpenIssuesCount } from './OpenIssuesCount';

const LINKS: { page: Page; label: string }[] = [
  { page: 'dashboard', label: 'Dashboard' },
  { page: 'jobs', label: 'Jobs' },
  { page: 'issues', label: 'Issues' },
  { page: 'activity', label: 'Activity' },
  { page: 'settings', label: 'Settings' },
];

export function TopBar({ page }: { page: Page }) {
  return (
    <header className="topbar">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          // A plain #main would be read as a route by the hash router.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">iCIMS Sync Console</span>
      </div>
      <nav aria-label="Main">
        <ul className="nav-links">
          {LINKS.map((link) => (
            <li key={link.page}>
              <a href={routeHref(link.page)} aria-current={link.page === page ? 'page' : undefined}>
                {link.label}
                {link.page === 'issues' ? <OpenIssuesCount /> : null}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="topbar-end">
        <HealthBadge />
        <ModeBadge />
        <LiveIndicator />
        <SignOutButton />
      </div>
    </header>
  );
}

/** Headless mode: ends this browser's session on the server and forgets its token. */
function SignOutButton() {
  const { session, transport } = useConsoleConnection();
  const view = useSyncExternalStore(session.view.subscribe, session.view.get);
  if (transport !== 'http' || view.status !== 'signedIn') return null;
  return (
    <button
      type="button"
      className="button small ghost"
      title={`Signed in: ${view.label}`}
      onClick={() => void session.signOut()}
    >
      Sign out
    </button>
  );
}
