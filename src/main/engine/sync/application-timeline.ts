/**
 * The application timeline, SQLite and PostgreSQL side by side: every event stored for one
 * application, oldest first (the order the events reached the console and, per application, the
 * order their notes are written), mapped by the same code (toApplicationTimeline).
 *
 * What differs: in PostgreSQL the note text and the stored event live in `sync_job_bodies` (joined
 * as `b`) and bigint columns are read as float8 (they would come back as strings); the candidate's
 * name is read with `->>` instead of json_extract; SQLite names its index.
 */
import type { Database } from 'better-sqlite3';
import type { ApplicationTimeline } from '../../../shared/jobs';
import type { EventType } from '../../../shared/scheduling-event';
import type { JobStatus } from '../../../shared/jobs';
import type { TeamDatabase } from '../team/pg-connection';
import { isoTime, isoTimeOrNull } from './job-row';
import { perDatabase } from './per-database';
import { pgOfApplication } from './list-jobs';

/** One event of the timeline as both stores select it. */
export interface TimelineRow {
  id: number;
  event_id: string;
  type: string;
  status: string;
  note_text: string;
  attempts: number;
  created_at: number;
  completed_at: number | null;
  icims_note_id: string | null;
  candidate_name: string | null;
  destination: string | null;
}

const SQLITE_APPLICATION_TIMELINE = `
  SELECT id, event_id, type, status, note_text, attempts, created_at, completed_at, icims_note_id, destination,
         json_extract(payload, '$.candidateName') AS candidate_name
    FROM sync_jobs INDEXED BY sync_jobs_application WHERE application_id = ? ORDER BY id`;

export const PG_APPLICATION_TIMELINE = `
  SELECT j.id::float8 AS id, j.event_id, j.type, j.status, b.note_text, j.attempts, j.created_at::float8 AS created_at,
         j.completed_at::float8 AS completed_at, j.icims_note_id, j.destination,
         b.payload::jsonb ->> 'candidateName' AS candidate_name
    FROM sync_jobs j JOIN sync_job_bodies b ON b.job_id = j.id
   WHERE ${pgOfApplication('$1')} ORDER BY j.id`;

const statements = perDatabase((db) => ({
  events: db.prepare<[string], TimelineRow>(SQLITE_APPLICATION_TIMELINE),
}));

/**
 * "Did the note for application X land, and when?": every event stored for the application, its
 * note, its job's status, the time iCIMS took the note and the id iCIMS gave it (null until the note
 * lands, and for a note found already written whose id iCIMS did not return).
 */
export function applicationTimeline(db: Database, applicationId: string): ApplicationTimeline {
  return toApplicationTimeline(applicationId, statements(db).events.all(applicationId));
}

/** applicationTimeline on the team database. */
export async function pgApplicationTimeline(db: TeamDatabase, applicationId: string): Promise<ApplicationTimeline> {
  return toApplicationTimeline(applicationId, await db.query<TimelineRow>(PG_APPLICATION_TIMELINE, [applicationId]));
}

/** The timeline of an application from its rows, oldest first. */
export function toApplicationTimeline(applicationId: string, rows: readonly TimelineRow[]): ApplicationTimeline {
  return {
    applicationId,
    events: rows.map((row) => ({
      eventId: row.event_id,
      type: row.type as EventType,
      receivedAt: isoTime(row.created_at),
      jobId: row.id,
      status: row.status as JobStatus,
      note: row.note_text,
      landedAt: row.status === 'completed' ? isoTimeOrNull(row.completed_at) : null,
      icimsNoteId: row.status === 'completed' ? row.icims_note_id : null,
      attempts: row.attempts,
      candidateName: row.candidate_name,
      destination: row.destination,
    })),
  };
}
