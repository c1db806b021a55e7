import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useSyncExternalStore } from 'react';
import { useConsoleConnection } from './api/console-context';
import { ConnectionBanner } from './components/ConnectionBanner';
import { LeaveGuardDialog } from './components/LeaveGuardDialog';
import { SignInPage } from './components/SignInPage';
import { TeamBanners } from './components/TeamBanners';
import { Skeleton } from './components/Skeleton';
import { TopBar } from './components/TopBar';
import { useHashRoute } from './hooks/use-hash-route';
import { usePushInvalidation } from './hooks/use-push-invalidation';

// One chunk per screen: the first paint loads only the screen it shows.
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const JobsPage = lazy(() => import('./pages/jobs/JobsPage').then((m) => ({ default: m.JobsPage })));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const IssuesPage = lazy(() => import('./pages/issues/IssuesPage').then((m) => ({ default: m.IssuesPage })));
const ActivityPage = lazy(() => import('./pages/activity/ActivityPage').then((m) => ({ default: m.ActivityPage })));

export function App() {
  const { push, session } = useConsoleConnection();
  const view = useSyncExternalStore(session.view.subscribe, session.view.get);
  const route = useHashRoute();
  const queryClient = useQueryClient();
  usePushInvalidation(push);
  // Another screen opens at its top (the status card first), not at the last one's scroll position.
  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [route.page]);

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
      <TeamBanners />
      <main className="page" id="main" tabIndex={-1}>
        {/* Keyed by screen: a screen still loading must not keep the one it replaces mounted (hidden),
            or that screen's leave guard would still catch clicks. */}
        <Suspense key={route.page} fallback={<Skeleton lines={8} label="Loading the screen…" />}>
          {route.page === 'dashboard' ? <DashboardPage /> : null}
          {route.page === 'jobs' ? <JobsPage route={route} /> : null}
          {route.page === 'issues' ? <IssuesPage /> : null}
          {route.page === 'activity' ? <ActivityPage /> : null}
          {route.page === 'settings' ? <SettingsPage /> : null}
        </Suspense>
      </main>
      <LeaveGuardDialog />
    </div>
  );
}
