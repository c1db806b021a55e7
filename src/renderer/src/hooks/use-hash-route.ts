import { useMemo, useSyncExternalStore } from 'react';

export type Page = 'dashboard' | 'jobs' | 'issues' | 'activity' | 'settings';

const PAGES: readonly Page[] = ['dashboard', 'jobs', 'issues', 'activity', 'settings'];

/** `#/jobs/42?status=failed&app=APP-1` → page, optional id, query. */
export interface Route {
  page: Page;
  jobId: number | null;
  query: URLSearchParams;
}

function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

const getHash = () => window.location.hash;

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [head, second] = path.split('/');
  const page: Page = PAGES.includes(head as Page) ? (head as Page) : 'dashboard';
  const id = page === 'jobs' && second ? Number(second) : NaN;
  return { page, jobId: Number.isInteger(id) && id > 0 ? id : null, query: new URLSearchParams(search) };
}

export function routeHref(
  page: Page,
  options: { jobId?: number | null; query?: Record<string, string | undefined> } = {},
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) if (value) params.set(key, value);
  const search = params.toString();
  return `#/${page}${options.jobId ? `/${options.jobId}` : ''}${search ? `?${search}` : ''}`;
}

export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash);
  return useMemo(() => parseRoute(hash), [hash]);
}

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '');
}
