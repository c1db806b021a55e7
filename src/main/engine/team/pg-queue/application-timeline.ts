import type { ApplicationTimeline } from '../../../../shared/jobs';
import { toApplicationTimeline } from '../../sync/application-timeline';
import type { TimelineRow } from '../../sync/application-timeline';
import type { TeamDatabase } from '../pg-connection';

/**
 * PostgreSQL side of sync/application-timeline.ts: every event stored for the application, oldest
 * first, mapped by the same code. The note and the candidate's name live in the job's body.
 */
export const PG_APPLICATION_TIMELINE = `
  SELECT j.id::float8 AS id, j.event_id, j.type, j.status, b.note_text, j.attempts, j.created_at::float8 AS created_at,
         j.completed_at::float8 AS completed_at, j.icims_note_id, j.destination,
         b.payload::jsonb ->> 'candidateName' AS candidate_name
    FROM sync_jobs j JOIN sync_job_bodies b ON b.job_id = j.id
   WHERE j.application_id = $1 ORDER BY j.id`;

export async function applicationTimeline(db: TeamDatabase, applicationId: string): Promise<ApplicationTimeline> {
  return toApplicationTimeline(applicationId, await db.query<TimelineRow>(PG_APPLICATION_TIMELINE, [applicationId]));
}
