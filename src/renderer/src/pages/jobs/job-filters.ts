import type { JobStatus } from '../../../../shared/jobs';
import { jobStatusSchema } from '../../../../shared/jobs';
import type { EventType } from '../../../../shared/scheduling-event';
import { EVENT_TYPES } from '../../../../shared/scheduling-event';

/**
 * What the Jobs screen shows, all of it in the address (`#/jobs?q=71267&type=booked&from=…`), so
 * a filtered list can be shared as a link and Back works. Dates are calendar days in the
 * computer's zone; `to` includes its whole day.
 */
export interface JobFilters {
  status?: JobStatus;
  /** Exact application id (links from elsewhere). */
  app?: string;
  q?: string;
  type?: EventType;
  from?: string;
  to?: string;
  cause?: string;
}

export const FILTER_KEYS = ['status', 'app', 'q', 'type', 'from', 'to', 'cause'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function filtersFromQuery(query: URLSearchParams): JobFilters {
  const status = jobStatusSchema.safeParse(query.get('status'));
  const type = query.get('type');
  const from = query.get('from');
  const to = query.get('to');
  return {
    status: status.success ? status.data : undefined,
    app: query.get('app') || undefined,
    q: query.get('q')?.trim() || undefined,
    type: type && (EVENT_TYPES as readonly string[]).includes(type) ? (type as EventType) : undefined,
    from: from && DAY.test(from) ? from : undefined,
    to: to && DAY.test(to) ? to : undefined,
    cause: query.get('cause') || undefined,
  };
}

export function filtersToQuery(filters: JobFilters): Record<string, string | undefined> {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, filters[key]]));
}

/** A local calendar day's start as an ISO time with offset (what the API takes). */
function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
}

/** The listJobs input for these filters (without paging). */
export function listInput(filters: JobFilters) {
  return { status: filters.status, ...searchInput(filters) };
}

/** The filters but the status: what the status tabs count. */
export function searchInput(filters: JobFilters) {
  return {
    applicationId: filters.app,
    q: filters.q,
    type: filters.type,
    from: filters.from ? dayStart(filters.from) : undefined,
    to: filters.to ? dayStart(filters.to, 1) : undefined,
    cause: filters.cause,
  };
}

export const filterKey = (filters: JobFilters) => JSON.stringify(filtersToQuery(filters));

export const hasSearch = (filters: JobFilters) =>
  Boolean(filters.q || filters.type || filters.from || filters.to || filters.cause || filters.app);
