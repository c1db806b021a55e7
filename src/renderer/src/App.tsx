import { lazy, Suspense, useSyncExternalStore } from 'react';
import { useConsoleConnection } from './api/console-context';
import { ConnectionBanner } from './components/ConnectionBanner';
import { LeaveGuardDialog } from './components/LeaveGuardDialog';
import { SignedOutPage } from './components/SignedOutPage';
import { Skeleton } from './components/Skeleton';
import { TopBar } from './components/TopBar';
import { useHashRoute } from './hooks/use-hash-route';
import { usePushInvalidation } from './hooks/use-push-invalidation';

// One chunk per screen: the first paint loads only the screen it shows.
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const JobsPage = lazy(() => import('./pages/jobs/JobsPage').then((m) => ({ default: m.JobsPage })));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));

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
        {/* Keyed by screen: a screen still loading must not keep the one it replaces mounted (hidden),
            or that screen's leave guard would still catch clicks. */}
        <Suspense key={route.page} fallback={<Skeleton lines={8} label="Loading the screen…" />}>
          {route.page === 'dashboard' ? <DashboardPage /> : null}
          {route.page === 'jobs' ? <JobsPage route={route} /> : null}
          {route.page === 'settings' ? <SettingsPage /> : null}
        </Suspense>
      </main>
      <LeaveGuardDialog />
    </div>
  );
}
