import { describe, expect, it, vi } from 'vitest';
import { NodeRegistry, nodeName } from '../../src/main/engine/team/node-registry';
import type { NodeRegistryOptions } from '../../src/main/engine/team/node-registry';
import { TeamRateLimiter } from '../../src/main/engine/team/team-rate-limiter';
import { pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

const HOUR_MS = 3_600_000;

describe('node name', () => {
  it('is SYNC_NODE_NAME, or host-pid, and a bad name is refused by variable name', () => {
    expect(nodeName({ SYNC_NODE_NAME: 'sync-eu-1' })).toBe('sync-eu-1');
    expect(nodeName({})).toMatch(new RegExp(`-${process.pid}$`));
    expect(() => nodeName({ SYNC_NODE_NAME: 'x'.repeat(101) })).toThrow(
      'SYNC_NODE_NAME must be 1 to 100 printable ASCII characters',
    );
    expect(() => nodeName({ SYNC_NODE_NAME: 'bad\nname' })).toThrow('SYNC_NODE_NAME');
  });
});

describe.skipIf(!pgAvailable)('node registry (real PostgreSQL)', () => {
  const cluster = usePgCluster();
  const options = (name: string, extra: Partial<NodeRegistryOptions> = {}): NodeRegistryOptions => ({
    name,
    version: '0.1.0',
    credentialsFrom: 'team',
    worker: true,
    heartbeatMs: 200,
    lostAfterMs: 2_000,
    ...extra,
  });

  it('lists every engine with its calls in the last minute; one that stops heartbeating turns lost', async () => {
    const url = await freshTeamDatabase(cluster());
    const dbA = await connectTeam(url);
    const a = new NodeRegistry(dbA, options('engine-a'));
    const b = new NodeRegistry(await connectTeam(url), options('engine-b', { credentialsFrom: 'environment' }));
    await a.register();
    await b.register();
    await b.announceDestination('http://icims.example · customer 1000');
    const limiter = new TeamRateLimiter(dbA, { node: 'engine-a', perMinute: 100, dailyLimit: 1000 });
    for (let i = 0; i < 3; i++) expect((await limiter.reserve()).ok).toBe(true);
    await a.heartbeat(2);
    await b.heartbeat(1);

    expect(await a.list()).toEqual([
      {
        name: 'engine-a',
        version: '0.1.0',
        lastSeenAt: expect.any(String),
        state: 'active',
        inFlight: 2,
        callsLastMinute: 3,
        credentialsFrom: 'team',
        worker: true,
        destination: null,
      },
      {
        name: 'engine-b',
        version: '0.1.0',
        lastSeenAt: expect.any(String),
        state: 'active',
        inFlight: 1,
        callsLastMinute: 0,
        credentialsFrom: 'environment',
        worker: true,
        destination: 'http://icims.example · customer 1000',
      },
    ]);

    // engine-b stops (killed); engine-a keeps beating. Wait for the verdict, not for a time.
    a.start(() => 0);
    try {
      await vi.waitFor(
        async () => {
          const nodes = await a.list();
          expect(nodes.map((n) => [n.name, n.state])).toEqual([
            ['engine-a', 'active'],
            ['engine-b', 'lost'],
          ]);
          expect(nodes[1]?.inFlight).toBe(0);
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      a.stop();
    }
  });

  it('keeps a lost engine listed for at least a day, then drops it', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const registry = new NodeRegistry(db, options('engine-a'));
    await registry.register();
    await new NodeRegistry(db, options('died-yesterday')).register();
    await new NodeRegistry(db, options('died-last-week')).register();
    // Engines that died long ago: their last heartbeat is set back on the database clock.
    await db.query("UPDATE team_nodes SET last_seen_at = team_now_ms() - $1::bigint WHERE name = 'died-yesterday'", [
      25 * HOUR_MS,
    ]);
    await db.query("UPDATE team_nodes SET last_seen_at = team_now_ms() - $1::bigint WHERE name = 'died-last-week'", [
      7 * 24 * HOUR_MS,
    ]);

    const nodes = await registry.list();
    expect(nodes.map((n) => [n.name, n.state])).toEqual([
      ['engine-a', 'active'],
      ['died-yesterday', 'lost'],
    ]);
    expect(Date.now() - Date.parse(nodes[1]!.lastSeenAt)).toBeGreaterThan(24 * HOUR_MS);
    expect(await registry.pruneLost()).toBe(1);
    expect(await db.query('SELECT name FROM team_nodes ORDER BY name')).toEqual([
      { name: 'died-yesterday' },
      { name: 'engine-a' },
    ]);
  });

  it('an engine restarted under the same name takes its row over', async () => {
    const url = await freshTeamDatabase(cluster());
    const first = new NodeRegistry(await connectTeam(url), options('sync-eu-1'));
    await first.register();
    await first.heartbeat(4);
    const again = new NodeRegistry(await connectTeam(url), options('sync-eu-1', { version: '0.2.0' }));
    await again.register();
    expect(await again.list()).toMatchObject([{ name: 'sync-eu-1', version: '0.2.0', inFlight: 0, state: 'active' }]);
  });
});
