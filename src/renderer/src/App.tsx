import { useEffect, useSyncExternalStore } from 'react';
import { useConsoleConnection } from './api/console-context';
import { ConnectionBanner } from './components/ConnectionBanner';
import { LeaveGuardDialog } from './components/LeaveGuardDialog';
import { SignedOutPage } from './components/SignedOutPage';
import { TopBar } from './components/TopBar';
import { useHashRoute } from './hooks/use-hash-route';
import { usePushInvalidation } from './hooks/use-push-invalidation';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { JobsPage } from './pages/jobs/JobsPage';
import { SettingsPage } from './pages/settings/SettingsPage';

export function App() {
  const { push, session } = useConsoleConnection();
  const sessionState = useSyncExternalStore(session.subscribe, session.get);
  const route = useHashRoute();
  usePushInvalidation(push);
  // Another screen opens at its top (the status card first), not at the last one's scroll position.
  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [route.page]);

  if (sessionState === 'signedOut') return <SignedOutPage />;
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
