import { describe, expect, it } from 'vitest';
import { DatabaseUnreachableError, describeError, TeamDatabase } from '../../src/main/engine/team/pg-connection';
import type { DatabaseStatus } from '../../src/main/engine/team/pg-connection';
import { pgClaimJobs } from '../../src/main/engine/sync/claim-jobs';
import { pgEnqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { TeamState } from '../../src/main/engine/team/team-state';
import { TeamStateFollower } from '../../src/main/engine/team/team-state-follower';
import { newJob } from '../fixtures/new-job';
import { pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

function nextState(db: TeamDatabase, state: DatabaseStatus['state']): Promise<DatabaseStatus> {
  return new Promise((resolve) => {
    const listener = (status: DatabaseStatus): void => {
      if (status.state !== state) return;
      db.off('state', listener);
      resolve(status);
    };
    db.on('state', listener);
  });
}

describe('database errors', () => {
  it('never carry the connection string (it may hold a password)', () => {
    const message = describeError(new Error('connect failed for postgres://sync:s3cret@db.example.com:5432/team'));
    expect(message).not.toContain('s3cret');
    expect(message).toContain('postgres://…');
  });
});

describe.skipIf(!pgAvailable)('team database connection (real PostgreSQL)', () => {
  const cluster = usePgCluster();

  it('says "unreachable" while PostgreSQL is down, comes back by itself, and LISTENs again', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url, { backoffMs: 50, maxBackoffMs: 300, connectTimeoutMs: 1_000 });
    await db.listen('team_probe');
    expect(db.current.state).toBe('up');

    const down = nextState(db, 'unreachable');
    await cluster().halt();
    try {
      const error = await db.query('SELECT 1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseUnreachableError);
      expect((error as Error).message).toMatch(/^database unreachable: /);
      const status = await down;
      expect(status.lastError).not.toContain(url);
      expect(db.current.state).toBe('unreachable');
    } finally {
      await cluster().start();
    }

    const reconnected = new Promise<void>((resolve) => db.once('reconnected', resolve));
    await reconnected;
    expect(db.current.state).toBe('up');
    // The listener is back on its channel: a NOTIFY from another engine arrives.
    const heard = new Promise<string>((resolve) => db.once('notification', (n) => resolve(n.payload)));
    const other = await connectTeam(url);
    await other.notify('team_probe', 'after the restart');
    expect(await heard).toBe('after the restart');
  });

  it('after a PostgreSQL restart mid-run, queued work and the team state carry on', async () => {
    const url = await freshTeamDatabase(cluster());
    const a = await connectTeam(url);
    const b = await connectTeam(url);
    const follower = new TeamStateFollower(b, new TeamState(b), 3_600_000);
    await follower.start();
    try {
      await pgEnqueueJobs(a, [newJob('before', { runAfter: 0 })]);
      const reconnected = new Promise<void>((resolve) => b.once('reconnected', resolve));
      await cluster().restart();
      await reconnected;

      // A pooled connection that died with the server can fail one statement (the worker's next
      // turn repeats it); then the pool has healed, and the job accepted before the restart is there.
      const claimed = await pgClaimJobs(a, { owner: 'engine-a', leaseMs: 60_000, limit: 5 }).catch(() =>
        pgClaimJobs(a, { owner: 'engine-a', leaseMs: 60_000, limit: 5 }),
      );
      expect(claimed.map((job) => job.eventId)).toEqual(['evt-before']);

      const paused = new Promise<void>((resolve) =>
        follower.on('change', (s) => {
          if (s.authPause) resolve();
        }),
      );
      await new TeamState(a).pauseForAuth('401 from iCIMS', 'engine-a');
      await paused;
      expect(follower.current?.authPause?.reason).toBe('401 from iCIMS');
    } finally {
      follower.stop();
    }
  });

  it('a database that is not there at start is reported, not hidden', async () => {
    const db = new TeamDatabase({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectTimeoutMs: 500 });
    try {
      await expect(db.open()).rejects.toBeInstanceOf(DatabaseUnreachableError);
      expect(db.current.state).toBe('unreachable');
    } finally {
      await db.close();
    }
  });
});
