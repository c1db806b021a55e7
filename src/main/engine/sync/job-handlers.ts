import type { ConsoleApiHandlers } from '../../../shared/console-api';
import type { Change } from '../../../shared/live-updates';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { JobStore } from './job-store';
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
  /** The queue: the console's SQLite file or the team's database. */
  jobs: JobStore;
  clock: Clock;
  logger: Logger;
  /** Woken when jobs are queued again, so they go now rather than at the next poll. */
  worker: Pick<SyncWorker, 'wake'>;
  /** Something was written: the push hub tells the renderers what that makes stale. */
  notify: (change: Change) => void;
}

/** The ConsoleApi methods of the Jobs screen: the queue, one job, failure groups, and what an admin does to them. */
export function createJobHandlers(deps: JobHandlerDeps): Pick<ConsoleApiHandlers, JobMethods> {
  const { jobs, clock, worker } = deps;
  const jobsChanged = () => deps.notify('jobs');

  return {
    async listJobs(input) {
      return jobs.listJobs(input);
    },

    async getJobCounts(input) {
      return jobs.countJobs(input);
    },

    async getJob({ id }) {
      return jobs.getJob(id);
    },

    async getApplicationTimeline({ applicationId }) {
      return jobs.applicationTimeline(applicationId);
    },

    async retryJob({ id }) {
      await jobs.retryJob(id, clock.now());
      deps.logger.log('info', 'job.manual_retry', { jobId: id });
      worker.wake();
      jobsChanged();
      return { ok: true };
    },

    async cancelJob({ id }) {
      await jobs.cancelJob(id, clock.now());
      deps.logger.log('info', 'job.cancelled', { jobId: id });
      jobsChanged();
      return { ok: true };
    },

    async retryAllFailed() {
      const count = await jobs.retryAllFailed(clock.now());
      deps.logger.log('info', 'jobs.manual_retry_all', { count });
      worker.wake();
      jobsChanged();
      return { count };
    },

    async retryJobs({ ids }) {
      const count = await jobs.retryJobs(ids, clock.now());
      deps.logger.log('info', 'jobs.manual_retry_selection', { count });
      worker.wake();
      jobsChanged();
      return { count };
    },

    async cancelJobs({ ids }) {
      const count = await jobs.cancelJobs(ids, clock.now());
      deps.logger.log('info', 'jobs.cancelled_selection', { count });
      jobsChanged();
      return { count };
    },

    async listFailureGroups() {
      return jobs.listFailureGroups();
    },

    async retryFailureGroup({ key }) {
      const count = await jobs.retryFailureGroup(key, clock.now());
      deps.logger.log('info', 'jobs.manual_retry_group', { count });
      worker.wake();
      jobsChanged();
      return { count };
    },

    async cancelFailureGroup({ key }) {
      const count = await jobs.cancelFailureGroup(key, clock.now());
      deps.logger.log('info', 'jobs.cancelled_group', { count });
      jobsChanged();
      return { count };
    },
  };
}
