import { describe, expect, it } from 'vitest';
import { NodeRegistry } from '../../src/main/engine/team/node-registry';
import { pgClaimJobs } from '../../src/main/engine/sync/claim-jobs';
import { pgCompleteJob } from '../../src/main/engine/sync/complete-job';
import { pgEnqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { TeamRateLimiter } from '../../src/main/engine/team/team-rate-limiter';
import { TeamState } from '../../src/main/engine/team/team-state';
import { newJob } from '../fixtures/new-job';
import { onDatabase, pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';
import { asRole, documentedGrants } from '../helpers/team-roles';

/**
 * The GRANT statements docs/TEAM_MODE.md gives admins, run as written (minus the database
 * creation, which the test cluster does its own way): what each role may do is what the
 * database allows, so the docs are tested here, not restated.
 */
const permissionDenied = { code: '42501' };

describe.skipIf(!pgAvailable)('database roles from docs/TEAM_MODE.md (real PostgreSQL)', () => {
  const cluster = usePgCluster();

  it('engine, operator and viewer roles can do exactly what the docs promise', async () => {
    const url = await freshTeamDatabase(cluster());
    await onDatabase(url, (admin) => admin.query(documentedGrants()));

    const engine = await connectTeam(asRole(url, 'sync_engine'));
    await pgEnqueueJobs(engine, [newJob(1, { runAfter: 0 })]);
    const [job] = await pgClaimJobs(engine, { owner: 'engine-a', leaseMs: 60_000, limit: 1 });
    expect(await pgCompleteJob(engine, { jobId: job!.id, owner: 'engine-a', leaseToken: job!.leaseToken })).toBe(true);
    expect((await new TeamRateLimiter(engine, { node: 'engine-a', perMinute: 10, dailyLimit: 10 }).reserve()).ok).toBe(
      true,
    );
    await new NodeRegistry(engine, {
      name: 'engine-a',
      version: '0.1.0',
      credentialsFrom: 'team',
      worker: true,
    }).register();
    await engine.query("INSERT INTO team_secrets (name, sealed, key_id) VALUES ('icims.apiKey', 'v1:x', 'k')");

    const operator = await connectTeam(asRole(url, 'sync_operator'));
    await new TeamState(operator).pauseWorkers('maintenance', 'operator');
    await new TeamState(operator).resumeAuth('operator');
    expect(
      await operator.query("UPDATE sync_jobs SET status = 'pending' WHERE status = 'failed' RETURNING id"),
    ).toEqual([]);
    await expect(
      operator.query("INSERT INTO settings (key, value) VALUES ('ICIMS_RATE_LIMIT_PER_MIN', '50')"),
    ).rejects.toMatchObject(permissionDenied);
    await expect(operator.query('SELECT * FROM team_secrets')).rejects.toMatchObject(permissionDenied);
    // An operator's actions go into the team's audit trail.
    const auditRow =
      "INSERT INTO audit_log (at, node, actor_kind, actor_label, action, result) VALUES (0, 'ops', 'session', 'Chrome on Linux', 'retry', 'ok')";
    await operator.query(auditRow);

    const viewer = await connectTeam(asRole(url, 'sync_viewer'));
    expect((await new TeamState(viewer).read()).workerPause).toMatchObject({ reason: 'maintenance' });
    expect(
      await new NodeRegistry(viewer, {
        name: 'viewer',
        version: '0.1.0',
        credentialsFrom: 'team',
        worker: false,
      }).list(),
    ).toHaveLength(1);
    await expect(pgClaimJobs(viewer, { owner: 'viewer', leaseMs: 60_000, limit: 1 })).rejects.toMatchObject(
      permissionDenied,
    );
    await expect(new TeamState(viewer).pauseWorkers('x', 'viewer')).rejects.toMatchObject(permissionDenied);
    await expect(pgEnqueueJobs(viewer, [newJob(2, { runAfter: 0 })])).rejects.toMatchObject(permissionDenied);
    await expect(viewer.query('SELECT * FROM team_secrets')).rejects.toMatchObject(permissionDenied);
    expect(await viewer.query('SELECT action FROM audit_log')).toEqual([{ action: 'retry' }]);
    await expect(viewer.query(auditRow)).rejects.toMatchObject(permissionDenied);
  });
});
