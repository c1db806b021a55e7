import type { IcimsNote } from '../icims/icims-client';
import type { CompletedTwin } from './completed-twins';

/**
 * The read-back rule of docs/INTERFACES.md §6: is the note of an in-doubt job already in iCIMS?
 *
 * - Text is compared after evening out what iCIMS (or a proxy) may change without changing the
 *   note: Unicode normalisation (NFC), line endings, runs of whitespace, leading/trailing space.
 * - Where iCIMS gives creation times, a note created before the job's first write minus 5 minutes
 *   cannot be this job's (clocks may differ by minutes, not more).
 * - One note in iCIMS counts for one job at most: notes known to belong to other completed jobs
 *   (by their stored note id or a carried key) are set aside, and so many of the rest as there are
 *   completed jobs with the same text whose note is not identified. Two events whose notes read
 *   the same are two notes.
 * - A note carrying this job's idempotency key settles it directly; one carrying another key is
 *   another write's.
 */

export const CLOCK_SKEW_MS = 5 * 60_000;

export interface NoteMatch {
  found: boolean;
  /** The iCIMS note taken to be this job's, when found and iCIMS gave it an id. */
  noteId: string | null;
  /** How many notes with this text the application holds (for the history and the log). */
  sameText: number;
}

export function normaliseNoteText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

export function matchNote(
  job: { noteText: string; idempotencyKey: string; firstWriteAt: number },
  notes: readonly IcimsNote[],
  twins: readonly CompletedTwin[],
): NoteMatch {
  const want = normaliseNoteText(job.noteText);
  const since = job.firstWriteAt - CLOCK_SKEW_MS;
  const sameText = notes.filter((n) => normaliseNoteText(n.text) === want);
  const candidates = sameText.filter((n) => n.createdAt === null || n.createdAt >= since);

  const own = candidates.find((n) => n.idempotencyKey === job.idempotencyKey);
  if (own) return { found: true, noteId: own.id, sameText: sameText.length };

  const claimedIds = new Set(twins.map((t) => t.noteId).filter((id): id is string => id !== null));
  const pool = candidates.filter(
    (n) =>
      !(n.id !== null && claimedIds.has(n.id)) &&
      !(n.idempotencyKey !== null && n.idempotencyKey !== job.idempotencyKey),
  );
  // A completed twin is accounted for when its note is identified among those read back (by id
  // or carried key); otherwise it may own any note of the pool. With creation times, a twin
  // completed before the window cannot own a note inside it.
  const readIds = new Set(notes.map((n) => n.id).filter((id): id is string => id !== null));
  const carriedKeys = new Set(notes.map((n) => n.idempotencyKey).filter((k): k is string => k !== null));
  const dated = candidates.some((n) => n.createdAt !== null);
  const unidentified = twins.filter(
    (t) =>
      !(t.noteId !== null && readIds.has(t.noteId)) &&
      !carriedKeys.has(t.idempotencyKey) &&
      normaliseNoteText(t.noteText) === want &&
      (!dated || t.completedAt >= since),
  ).length;
  const found = pool.length > unidentified;
  return { found, noteId: found ? (pool[pool.length - 1]?.id ?? null) : null, sameText: sameText.length };
}
