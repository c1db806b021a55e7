import { describe, expect, it } from 'vitest';
import { pgClaimJobs } from '../../src/main/engine/sync/claim-jobs';
import { pgCompleteJob } from '../../src/main/engine/sync/complete-job';
import { pgEnqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { TOMBSTONE_RETENTION_MS } from '../../src/main/engine/sync/prune-jobs';
import { pruneTeamRetention } from '../../src/main/engine/team/pg-retention';
import { newJob } from '../fixtures/new-job';
import { pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

const DAY_MS = 86_400_000;
const CANDIDATE = '{"candidate":{"name":"Ada Lovelace","email":"ada@example.com"}}';

describe.skipIf(!pgAvailable)('team database retention (real PostgreSQL)', () => {
  const cluster = usePgCluster();

  it('prunes old completed jobs and their candidate data, yet a re-sent event id stays a duplicate', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const [old, recent, waiting] = await pgEnqueueJobs(db, [
      newJob('old', { runAfter: 0, payload: CANDIDATE, noteText: 'Interview booked for Ada Lovelace' }),
      newJob('recent', { runAfter: 0, payload: CANDIDATE }),
      newJob('waiting', { runAfter: 0, payload: CANDIDATE }),
    ]);
    const claimed = await pgClaimJobs(db, { owner: 'engine-a', leaseMs: 60_000, limit: 2 });
    for (const job of claimed)
      expect(await pgCompleteJob(db, { jobId: job.id, owner: 'engine-a', leaseToken: job.leaseToken })).toBe(true);
    await db.query('UPDATE sync_jobs SET status = $2, lease_owner = NULL WHERE id = $1', [waiting!.jobId, 'pending']);
    // One completion lies past the horizon (completed 31 days ago on the database clock).
    await db.query('UPDATE sync_jobs SET completed_at = team_now_ms() - $2::bigint WHERE id = $1', [
      old!.jobId,
      31 * DAY_MS,
    ]);
    await db.query(
      "INSERT INTO api_calls (at, node, operation, outcome, kind, latency_ms, rate_limited) VALUES (team_now_ms() - $1::bigint, 'a', 'addNote', 'success', 0, 10, false), (team_now_ms(), 'a', 'addNote', 'success', 0, 10, false)",
      [8 * DAY_MS],
    );

    // The team's audit trail keeps a year, as a console's own does.
    await db.query(
      "INSERT INTO audit_log (at, node, actor_kind, actor_label, action, result) VALUES (team_now_ms() - $1::bigint, 'a', 'desktop', 'Desktop app', 'retry', 'ok'), (team_now_ms() - $2::bigint, 'a', 'desktop', 'Desktop app', 'cancel', 'ok')",
      [366 * DAY_MS, 300 * DAY_MS],
    );

    expect(await pruneTeamRetention(db)).toEqual({ jobs: 1, tombstones: 0, calls: 1, audit: 1 });
    expect(await db.query('SELECT action FROM audit_log')).toEqual([{ action: 'cancel' }]);

    const jobs = await db.query<{ event_id: string }>('SELECT event_id FROM sync_jobs ORDER BY id');
    expect(jobs.map((j) => j.event_id)).toEqual(['evt-recent', 'evt-waiting']);
    const bodies = await db.query<{ payload: string; note_text: string }>(
      'SELECT payload, note_text FROM sync_job_bodies',
    );
    expect(bodies).toHaveLength(2);
    expect(JSON.stringify(bodies)).not.toContain('Interview booked for Ada Lovelace');

    // The scheduling system re-sends the pruned event: answered as the old job, nothing new stored.
    const resent = await pgEnqueueJobs(db, [newJob('old', { runAfter: 0, payload: CANDIDATE })]);
    expect(resent).toEqual([{ eventId: 'evt-old', jobId: old!.jobId, duplicate: true }]);
    expect(await db.query('SELECT count(*)::int AS n FROM sync_jobs')).toEqual([{ n: 2 }]);
    expect(recent!.duplicate).toBe(false);

    // Tombstones go only after their own, much longer horizon.
    await db.query('UPDATE event_tombstones SET pruned_at = team_now_ms() - $1::bigint', [
      TOMBSTONE_RETENTION_MS + DAY_MS,
    ]);
    expect(await pruneTeamRetention(db)).toEqual({ jobs: 0, tombstones: 1, calls: 0, audit: 0 });
  });

  it('prunes in batches until nothing past the horizon is left', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    await pgEnqueueJobs(
      db,
      Array.from({ length: 25 }, (_, i) => newJob(i, { runAfter: 0 })),
    );
    await db.query("UPDATE sync_jobs SET status = 'cancelled', updated_at = team_now_ms() - $1::bigint", [40 * DAY_MS]);
    expect(await pruneTeamRetention(db, 10)).toMatchObject({ jobs: 25 });
    expect(await db.query('SELECT count(*)::int AS n FROM event_tombstones')).toEqual([{ n: 25 }]);
    expect(await db.query('SELECT count(*)::int AS n FROM sync_job_bodies')).toEqual([{ n: 0 }]);
  });
});
