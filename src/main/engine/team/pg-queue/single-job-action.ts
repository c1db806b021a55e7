import type { JobStatus } from '../../../../shared/jobs';
import { JobConflictError, JobNotFoundError } from '../../sync/queue-errors';
import type { TeamDatabase } from '../pg-connection';
import { PG_STATUS_OF } from '../../sync/job-row';
import { notifyJobsDue } from './queue-channel';

/**
 * Retry and Cancel on one job, as the SQLite store does them: the update names the states it
 * accepts; when it changed nothing, the job's status says why (not found → 404, another state →
 * 409). `wakes` decides from the update's rows whether engines should be told work is due.
 */
export async function actOnOneJob<R extends object>(
  db: TeamDatabase,
  input: { sql: string; jobId: number; action: 'retry' | 'cancel'; wakes: (row: R) => boolean },
): Promise<void> {
  await db.transaction(async (client) => {
    const { rows } = await client.query<R>(input.sql, [input.jobId]);
    const row = rows[0];
    if (row) {
      if (input.wakes(row)) await notifyJobsDue(client);
      return;
    }
    const status = (await client.query<{ status: JobStatus }>(PG_STATUS_OF, [input.jobId])).rows[0]?.status;
    if (status === undefined) throw new JobNotFoundError(input.jobId);
    throw new JobConflictError(input.jobId, status, input.action);
  });
}
