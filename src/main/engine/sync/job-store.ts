import type { Database } from 'better-sqlite3';
import type { FailureGroupList } from '../../../shared/failure-groups';
import type { ApplicationTimeline, JobCounts, JobDetail, JobPage } from '../../../shared/jobs';
import { applicationTimeline } from './application-timeline';
import { cancelJobs, retryJobs } from './bulk-job-actions';
import { cancelJob } from './cancel-job';
import { pointQueueAt } from './destination';
import type { DestinationSwitch } from './destination';
import { enqueueJobs } from './enqueue-jobs';
import type { EnqueuedJob, NewJob } from './enqueue-jobs';
import { cancelFailureGroup, listFailureGroups, retryFailureGroup } from './failure-groups';
import { countJobs, queueCounts } from './job-counts';
import type { CountJobsFilter, QueueCounts } from './job-counts';
import { getJobDetail } from './job-detail';
import { listJobs } from './list-jobs';
import type { ListJobsQuery } from './list-jobs';
import { releaseCircuitHeldJobs } from './release-circuit-held-jobs';
import { retryAllFailed, retryJob } from './retry-job';

export type { CountJobsFilter, QueueCounts } from './job-counts';
export type { DestinationSwitch } from './destination';
export type { EnqueuedJob, NewJob } from './enqueue-jobs';
export type { ListJobsQuery } from './list-jobs';

/**
 * The queue as ingest, the Jobs screen's handlers and the ops snapshot use it, whichever store
 * holds it: the console's own SQLite file (`sqliteJobStore`, below) or the team's PostgreSQL
 * database (`pgJobStore`, team/pg-job-store.ts). Both answer the same shapes with the same rules
 * and the same errors (queue-errors.ts: not found → 404, wrong state → 409, bad cursor → 400), and
 * group failures with the same key (failure-groups.ts), so a cursor, a group key or a count means
 * the same thing in either.
 *
 * Time: `now` is the engine's clock (epoch ms) and the SQLite store writes it. The PostgreSQL store
 * ignores every `now`: there all times come from the database clock (`team_now_ms()`), so every
 * engine of a team agrees on when a job is due and on "the last 24 hours".
 *
 * The worker's side of the queue (claim, complete, fail, leases) is `WorkerQueue` (worker-queue.ts).
 */
export interface JobStore {
  /**
   * Stores jobs in one transaction, all or none. A repeated event id (stored before, or earlier
   * in the batch) creates nothing and answers with the existing job, `duplicate: true`. New jobs
   * are due at once (the SQLite store takes each job's `runAfter`; PostgreSQL uses its own now).
   */
  enqueue(jobs: readonly NewJob[], now: number): Promise<EnqueuedJob[]>;
  /** A page of jobs, newest first, with the Jobs screen's filters (status, application, search, type, dates, failure cause). */
  listJobs(query?: ListJobsQuery): Promise<JobPage>;
  /** Jobs per status for the whole queue or for what a search finds (the list's filters but the status). */
  countJobs(filter?: CountJobsFilter): Promise<JobCounts>;
  /** One job with its note, key, event and tries. Unknown id: not found. */
  getJob(id: number): Promise<JobDetail>;
  /** Every event stored for an application, oldest first, with what became of its note. */
  applicationTimeline(applicationId: string): Promise<ApplicationTimeline>;
  /** A failed job gets a fresh retry budget, a waiting pending one stops waiting; both run now. Else 404/409. */
  retryJob(id: number, now: number): Promise<void>;
  /** A pending, failed or held job is cancelled and never sent. Else 404/409. */
  cancelJob(id: number, now: number): Promise<void>;
  /** Every failed job as retryJob does it; returns how many. */
  retryAllFailed(now: number): Promise<number>;
  /** retryJob on each id whose state allows it (others are skipped); returns how many moved. */
  retryJobs(ids: readonly number[], now: number): Promise<number>;
  /** cancelJob on each id whose state allows it (others are skipped); returns how many. */
  cancelJobs(ids: readonly number[], now: number): Promise<number>;
  /** Failed, waiting and held jobs grouped by cause, the largest group first. */
  listFailureGroups(): Promise<FailureGroupList>;
  /** Retry every job of a group; 404 when none is left, 409 for a held group. Returns how many moved. */
  retryFailureGroup(key: string, now: number): Promise<number>;
  /** Cancel every job of a group; 404 when none is left. Returns how many. */
  cancelFailureGroup(key: string, now: number): Promise<number>;
  /** "Reset breaker": jobs waiting only for the open circuit become due now. Returns how many. */
  releaseCircuitHeld(now: number): Promise<number>;
  /**
   * The console now sends to `destination` (destination.ts): pending and failed jobs of any other
   * become held, held jobs of this one pending and due now, jobs with none are given this one.
   */
  pointAt(destination: string, now: number): Promise<DestinationSwitch>;
  /** The queue's counts the ops snapshot shows and the forecast drains; "last 24 h" runs to `now`. */
  queueCounts(now: number): Promise<QueueCounts>;
}

/**
 * The JobStore of the console's SQLite file: each method is the queue operation of its own file
 * (one per operation), run synchronously — the promise is settled when the method returns, so the
 * write has happened before the caller's next line even without awaiting it.
 */
export function sqliteJobStore(db: Database): JobStore {
  return {
    enqueue: async (jobs, now) => enqueueJobs(db, jobs, now),
    listJobs: async (query) => listJobs(db, query),
    countJobs: async (filter) => countJobs(db, filter),
    getJob: async (id) => getJobDetail(db, id),
    applicationTimeline: async (applicationId) => applicationTimeline(db, applicationId),
    retryJob: async (id, now) => retryJob(db, id, now),
    cancelJob: async (id, now) => cancelJob(db, id, now),
    retryAllFailed: async (now) => retryAllFailed(db, now),
    retryJobs: async (ids, now) => retryJobs(db, ids, now),
    cancelJobs: async (ids, now) => cancelJobs(db, ids, now),
    listFailureGroups: async () => listFailureGroups(db),
    retryFailureGroup: async (key, now) => retryFailureGroup(db, key, now),
    cancelFailureGroup: async (key, now) => cancelFailureGroup(db, key, now),
    releaseCircuitHeld: async (now) => releaseCircuitHeldJobs(db, now),
    pointAt: async (destination, now) => pointQueueAt(db, destination, now),
    queueCounts: async (now) => queueCounts(db, now),
  };
}
