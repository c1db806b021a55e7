import type { DestinationSwitch } from '../../sync/destination';
import type { TeamDatabase } from '../pg-connection';
import { DB_NOW, notifyJobsDue } from './queue-channel';

/**
 * PostgreSQL side of sync/destination.ts's pointQueueAt: the team now sends to `destination`.
 * Jobs without a destination are given this one; pending and failed jobs of any other become
 * `held` (a processing one is held by its worker when its try comes back); held jobs of this one
 * become pending, due now on the database clock, and the engines are woken. One transaction, so
 * no engine claims from half a switch.
 */
export const PG_ADOPT_DESTINATION = 'UPDATE sync_jobs SET destination = $1 WHERE destination IS NULL';

export const PG_HOLD_ELSEWHERE = `
  UPDATE sync_jobs
     SET status = 'held', updated_at = ${DB_NOW}, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
   WHERE (status = 'pending' OR status = 'failed') AND destination IS DISTINCT FROM $1`;

export const PG_RELEASE_HELD = `
  UPDATE sync_jobs SET status = 'pending', run_after = ${DB_NOW}, updated_at = ${DB_NOW}
   WHERE status = 'held' AND destination IS NOT DISTINCT FROM $1`;

export function pointQueueAt(db: TeamDatabase, destination: string): Promise<DestinationSwitch> {
  return db.transaction(async (client) => {
    await client.query(PG_ADOPT_DESTINATION, [destination]);
    const held = (await client.query(PG_HOLD_ELSEWHERE, [destination])).rowCount ?? 0;
    const released = (await client.query(PG_RELEASE_HELD, [destination])).rowCount ?? 0;
    if (released > 0) await notifyJobsDue(client);
    return { held, released };
  });
}
