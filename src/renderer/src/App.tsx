import { useSyncExternalStore } from 'react';
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
import { ActivityPage } from './pages/activity/ActivityPage';
import { IssuesPage } from './pages/issues/IssuesPage';

export function App() {
  const { push, session } = useConsoleConnection();
  const sessionState = useSyncExternalStore(session.subscribe, session.get);
  const route = useHashRoute();
  usePushInvalidation(push);

  if (sessionState === 'signedOut') return <SignedOutPage />;
  return (
    <div className="app">
      <TopBar page={route.page} />
      <ConnectionBanner />
      <main className="page" id="main" tabIndex={-1}>
        {route.page === 'dashboard' ? <DashboardPage /> : null}
        {route.page === 'jobs' ? <JobsPage route={route} /> : null}
        {route.page === 'issues' ? <IssuesPage /> : null}
        {route.page === 'activity' ? <ActivityPage /> : null}
        {route.page === 'settings' ? <SettingsPage /> : null}
      </main>
      <LeaveGuardDialog />
    </div>
  );
}
