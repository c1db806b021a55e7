import type { JobStore } from '../sync/job-store';
import type { TeamDatabase } from './pg-connection';
import { applicationTimeline } from './pg-queue/application-timeline';
import { cancelJobs, retryJobs } from './pg-queue/bulk-job-actions';
import { cancelJob } from './pg-queue/cancel-job';
import { pointQueueAt } from './pg-queue/destination';
import { enqueueJobs } from './pg-queue/enqueue-jobs';
import { cancelFailureGroup, listFailureGroups, retryFailureGroup } from './pg-queue/failure-groups';
import { countJobs, queueCounts } from './pg-queue/job-counts';
import { getJobDetail } from './pg-queue/job-detail';
import { listJobs } from './pg-queue/list-jobs';
import { releaseCircuitHeldJobs } from './pg-queue/release-circuit-held-jobs';
import { retryAllFailed, retryJob } from './pg-queue/retry-job';

/**
 * The JobStore of the team's PostgreSQL database: each method is the PostgreSQL statement of its
 * own file in pg-queue/. Every `now` is ignored: times come from the database clock
 * (`team_now_ms()`), so all engines of the team agree. Writes that make work due (enqueue, retry,
 * release, a destination switch) wake the listening engines in the same transaction.
 */
export function pgJobStore(db: TeamDatabase): JobStore {
  return {
    enqueue: (jobs) => enqueueJobs(db, jobs),
    listJobs: (query) => listJobs(db, query),
    countJobs: (filter) => countJobs(db, filter),
    getJob: (id) => getJobDetail(db, id),
    applicationTimeline: (applicationId) => applicationTimeline(db, applicationId),
    retryJob: (id) => retryJob(db, id),
    cancelJob: (id) => cancelJob(db, id),
    retryAllFailed: () => retryAllFailed(db),
    retryJobs: (ids) => retryJobs(db, ids),
    cancelJobs: (ids) => cancelJobs(db, ids),
    listFailureGroups: () => listFailureGroups(db),
    retryFailureGroup: (key) => retryFailureGroup(db, key),
    cancelFailureGroup: (key) => cancelFailureGroup(db, key),
    releaseCircuitHeld: () => releaseCircuitHeldJobs(db),
    pointAt: (destination) => pointQueueAt(db, destination),
    queueCounts: () => queueCounts(db),
  };
}
