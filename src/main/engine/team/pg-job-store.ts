import type { JobStore } from '../sync/job-store';
import { pgApplicationTimeline } from '../sync/application-timeline';
import { pgCancelJobs, pgRetryJobs } from '../sync/bulk-job-actions';
import { pgCancelJob } from '../sync/cancel-job';
import { pgPointQueueAt } from '../sync/destination';
import { pgEnqueueJobs } from '../sync/enqueue-jobs';
import { pgCancelFailureGroup, pgListFailureGroups, pgRetryFailureGroup } from '../sync/failure-groups';
import { pgCountJobs, pgQueueCounts } from '../sync/job-counts';
import { pgGetJobDetail } from '../sync/job-detail';
import { pgListJobs } from '../sync/list-jobs';
import { pgReleaseCircuitHeldJobs } from '../sync/release-circuit-held-jobs';
import { pgRetryAllFailed, pgRetryJob } from '../sync/retry-job';
import type { TeamDatabase } from './pg-connection';

/**
 * The JobStore of the team's PostgreSQL database: each method is the PostgreSQL side (`pg…`) of
 * its operation's file in sync/, next to the SQLite statement. Every `now` is ignored: times come
 * from the database clock (`team_now_ms()`), so all engines of the team agree. Writes that make
 * work due (enqueue, retry, release, a destination switch) wake the listening engines in the same
 * transaction.
 */
export function pgJobStore(db: TeamDatabase): JobStore {
  return {
    enqueue: (jobs) => pgEnqueueJobs(db, jobs),
    listJobs: (query) => pgListJobs(db, query),
    countJobs: (filter) => pgCountJobs(db, filter),
    getJob: (id) => pgGetJobDetail(db, id),
    applicationTimeline: (applicationId) => pgApplicationTimeline(db, applicationId),
    retryJob: (id) => pgRetryJob(db, id),
    cancelJob: (id) => pgCancelJob(db, id),
    retryAllFailed: () => pgRetryAllFailed(db),
    retryJobs: (ids) => pgRetryJobs(db, ids),
    cancelJobs: (ids) => pgCancelJobs(db, ids),
    listFailureGroups: () => pgListFailureGroups(db),
    retryFailureGroup: (key) => pgRetryFailureGroup(db, key),
    cancelFailureGroup: (key) => pgCancelFailureGroup(db, key),
    releaseCircuitHeld: () => pgReleaseCircuitHeldJobs(db),
    pointAt: (destination) => pgPointQueueAt(db, destination),
    queueCounts: () => pgQueueCounts(db),
  };
}
