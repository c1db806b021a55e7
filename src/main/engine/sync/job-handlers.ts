import type { Database } from 'better-sqlite3';
import type { ConsoleApiHandlers } from '../../../shared/console-api';
import type { Change } from '../../../shared/live-updates';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { applicationTimeline } from './application-timeline';
import { cancelJob } from './cancel-job';
import { cancelJobs, retryJobs } from './bulk-job-actions';
import { cancelFailureGroup, listFailureGroups, retryFailureGroup } from './failure-groups';
import { countJobs } from './job-counts';
import { getJobDetail } from './job-detail';
import { listJobs } from './list-jobs';
import { retryAllFailed, retryJob } from './retry-job';
import type { SyncWorker } from './sync-worker';

export type JobMethods =
  | 'listJobs'
  | 'getJobCounts'
  | 'getJob'
  | 'getApplicationTimeline'
  | 'retryJob'
  | 'cancelJob'
  | 'retryAllFailed'
  | 'retryJobs'
  | 'cancelJobs'
  | 'listFailureGroups'
  | 'retryFailureGroup'
  | 'cancelFailureGroup';

export interface JobHandlerDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Woken when jobs are queued again, so they go now rather than at the next poll. */
  worker: Pick<SyncWorker, 'wake'>;
  /** Something was written: the push hub tells the renderers what that makes stale. */
  notify: (change: Change) => void;
}

/** The ConsoleApi methods of the Jobs screen: the queue, one job, failure groups, and what an admin does to them. */
export function createJobHandlers(deps: JobHandlerDeps): Pick<ConsoleApiHandlers, JobMethods> {
  const { db, clock, worker } = deps;
  const jobsChanged = () => deps.notify('jobs');

  return {
    async listJobs(input) {
      return listJobs(db, input);
    },

    async getJobCounts(input) {
      return countJobs(db, input);
    },

    async getJob({ id }) {
      return getJobDetail(db, id);
    },

    async getApplicationTimeline({ applicationId }) {
      return applicationTimeline(db, applicationId);
    },

    async retryJob({ id }) {
      retryJob(db, id, clock.now());
      deps.logger.log('info', 'job.manual_retry', { jobId: id });
      worker.wake();
      jobsChanged();
      return { ok: true };
    },

    async cancelJob({ id }) {
      cancelJob(db, id, clock.now());
      deps.logger.log('info', 'job.cancelled', { jobId: id });
      jobsChanged();
      return { ok: true };
    },

    async retryAllFailed() {
      const count = retryAllFailed(db, clock.now());
      deps.logger.log('info', 'jobs.manual_retry_all', { count });
      worker.wake();
      jobsChanged();
      return { count };
    },

    async retryJobs({ ids }) {
      const count = retryJobs(db, ids, clock.now());
      deps.logger.log('info', 'jobs.manual_retry_selection', { count });
      worker.wake();
      jobsChanged();
      return { count };
    },

    async cancelJobs({ ids }) {
      const count = cancelJobs(db, ids, clock.now());
      deps.logger.log('info', 'jobs.cancelled_selection', { count });
      jobsChanged();
      return { count };
    },

    async listFailureGroups() {
      return listFailureGroups(db);
    },

    async retryFailureGroup({ key }) {
      const count = retryFailureGroup(db, key, clock.now());
      deps.logger.log('info', 'jobs.manual_retry_group', { count });
      worker.wake();
      jobsChanged();
      return { count };
    },

    async cancelFailureGroup({ key }) {
      const count = cancelFailureGroup(db, key, clock.now());
      deps.logger.log('info', 'jobs.cancelled_group', { count });
      jobsChanged();
      return { count };
    },
  };
}
