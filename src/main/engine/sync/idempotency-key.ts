import { hash } from 'node:crypto';

/**
 * `sched-{applicationId}-{first 8 hex of sha256(eventId + "\n" + note)}-{YYYY-MM-DD}`
 * (docs/INTERFACES.md §5). The event id is hashed with the note so that two events whose notes
 * read the same (a slot cancelled and booked again) keep two keys and two notes. The date is the
 * UTC day the job was CREATED: the key is computed once at enqueue and stored, so a retry after
 * midnight sends the same key. Jobs stored before the event id was part of the key keep the key
 * they have.
 *
 * crypto.hash (one shot, as UTF-8) costs half of createHash().update().digest(); it runs once per
 * ingested event.
 */
export function idempotencyKey(eventId: string, applicationId: string, note: string, createdAt: number): string {
  const digest = hash('sha256', `${eventId}\n${note}`, 'hex').slice(0, 8);
  const day = new Date(createdAt).toISOString().slice(0, 10);
  return `sched-${applicationId}-${digest}-${day}`;
}
