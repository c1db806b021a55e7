import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { useConsoleConnection } from './api/console-context';
import { ConnectionBanner } from './components/ConnectionBanner';
import { LeaveGuardDialog } from './components/LeaveGuardDialog';
import { SignInPage } from './components/SignInPage';
import { TopBar } from './components/TopBar';
import { useHashRoute } from './hooks/use-hash-route';
import { usePushInvalidation } from './hooks/use-push-invalidation';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { JobsPage } from './pages/jobs/JobsPage';
import { SettingsPage } from './pages/settings/SettingsPage';

export function App() {
  const { push, session } = useConsoleConnection();
  const view = useSyncExternalStore(session.view.subscribe, session.view.get);
  const route = useHashRoute();
  const queryClient = useQueryClient();
  usePushInvalidation(push);

  // What one session saw must not show to the next one on this browser.
  useEffect(() => {
    if (view.status === 'signedOut') queryClient.clear();
  }, [view.status, queryClient]);

  if (view.status === 'signingIn') {
    return (
      <main className="signed-out" aria-busy="true">
        <p>Signing in…</p>
      </main>
    );
  }
  if (view.status === 'signedOut') return <SignInPage session={session} reason={view.reason} />;
  return (
    <div className="app">
      <TopBar page={route.page} />
      <ConnectionBanner />
      <main className="page" id="main" tabIndex={-1}>
        {route.page === 'dashboard' ? <DashboardPage /> : null}
        {route.page === 'jobs' ? <JobsPage route={route} /> : null}
        {route.page === 'settings' ? <SettingsPage /> : null}
      </main>
      <LeaveGuardDialog />
    </div>
  );
}
