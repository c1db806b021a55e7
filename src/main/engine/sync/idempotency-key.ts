import { hash } from 'node:crypto';

/**
 * `sched-{applicationId}-{first 8 hex of sha256(note)}-{YYYY-MM-DD}` (docs/INTERFACES.md §5). The
 * date is the UTC day the job was CREATED: the key is computed once at enqueue and stored, so a
 * retry after midnight sends the same key and cannot post the note twice.
 */
export function idempotencyKey(applicationId: string, note: string, createdAt: number): string {
  const digest = hash('sha256', note, 'hex').slice(0, 8);
  const day = new Date(createdAt).toISOString().slice(0, 10);
  return `sched-${applicationId}-${digest}-${day}`;
}
