import type { Database } from 'better-sqlite3';
import type { ApplicationTimeline } from '../../../shared/jobs';
import type { EventType } from '../../../shared/scheduling-event';
import type { JobStatus } from '../../../shared/jobs';
import { isoTime, isoTimeOrNull } from './job-row';
import { perDatabase } from './per-database';

/** One event of the timeline as both stores select it (team/pg-queue/application-timeline.ts). */
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

const statements = perDatabase((db) => ({
  // Oldest first: the order the events reached the console (and, per application, the order
  // their notes are written).
  events: db.prepare<[string], TimelineRow>(
    `SELECT id, event_id, type, status, note_text, attempts, created_at, completed_at, icims_note_id, destination,
            json_extract(payload, '$.candidateName') AS candidate_name
       FROM sync_jobs INDEXED BY sync_jobs_application WHERE application_id = ? ORDER BY id`,
  ),
}));

/**
 * "Did the note for application X land, and when?": every event stored for the application, its
 * note, its job's status, the time iCIMS took the note and the id iCIMS gave it (null until the note
 * lands, and for a note found already written whose id iCIMS did not return).
 */
export function applicationTimeline(db: Database, applicationId: string): ApplicationTimeline {
  return toApplicationTimeline(applicationId, statements(db).events.all(applicationId));
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
