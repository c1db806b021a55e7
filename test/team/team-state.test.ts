import { describe, expect, it } from 'vitest';
import { TeamState } from '../../src/main/engine/team/team-state';
import type { TeamStateSnapshot } from '../../src/main/engine/team/team-state';
import { TeamStateFollower } from '../../src/main/engine/team/team-state-follower';
import { pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

/** Resolves with the first change the follower reports that satisfies `test`. */
function nextChange(follower: TeamStateFollower, test: (s: TeamStateSnapshot) => boolean): Promise<TeamStateSnapshot> {
  return new Promise((resolve) => {
    const listener = (snapshot: TeamStateSnapshot): void => {
      if (!test(snapshot)) return;
      follower.off('change', listener);
      resolve(snapshot);
    };
    follower.on('change', listener);
  });
}

describe.skipIf(!pgAvailable)('team state (real PostgreSQL)', () => {
  const cluster = usePgCluster();

  /** Two engines on one team database; B follows with polling effectively off, so only NOTIFY can tell it. */
  async function twoEngines() {
    const url = await freshTeamDatabase(cluster());
    const a = new TeamState(await connectTeam(url));
    const dbB = await connectTeam(url);
    const b = new TeamState(dbB);
    const follower = new TeamStateFollower(dbB, b, 3_600_000);
    await follower.start();
    return { a, b, follower, stop: () => follower.stop() };
  }

  it("one engine's auth pause reaches another engine through NOTIFY, and so does the resume", async () => {
    const { a, follower, stop } = await twoEngines();
    try {
      expect(follower.current?.authPause).toBeNull();
      const paused = nextChange(follower, (s) => s.authPause !== null);
      await a.pauseForAuth('iCIMS answered 401 Unauthorized', 'engine-a');
      expect((await paused).authPause).toMatchObject({ reason: 'iCIMS answered 401 Unauthorized', by: 'engine-a' });

      const resumed = nextChange(follower, (s) => s.authPause === null);
      await a.resumeAuth('admin');
      expect((await resumed).authPause).toBeNull();
    } finally {
      stop();
    }
  });

  it("a 429's hold is the team's: a later, shorter Retry-After never shortens it", async () => {
    const { a, b, follower, stop } = await twoEngines();
    try {
      const held = nextChange(follower, (s) => s.rateHold !== null);
      const until = await a.holdForRateLimit(120_000, 'engine-a');
      const seen = await held;
      expect(seen.rateHold?.until).toBe(until);
      expect(until - seen.dbNow).toBeGreaterThan(100_000);
      // Converted to this machine's clock through the read's database time, not compared raw.
      expect(follower.untilLocal(until) - Date.now()).toBeGreaterThan(100_000);

      expect(await b.holdForRateLimit(5_000, 'engine-b')).toBe(until);
      expect((await b.read()).rateHold).toMatchObject({ until, by: 'engine-a' });
      const longer = await b.holdForRateLimit(600_000, 'engine-b');
      expect(longer).toBeGreaterThan(until);
    } finally {
      stop();
    }
  });

  it('an open breaker lets exactly one engine probe after the cooldown; closing it reaches everyone', async () => {
    const { a, b, follower, stop } = await twoEngines();
    try {
      await a.openBreaker(3_600_000, '5 failed calls in a row', 'engine-a');
      expect(await b.takeProbe('engine-b', 60_000)).toBe(false); // cooldown not over

      // The follower may skip states in between (it re-reads, it does not replay), so the test
      // waits until it has seen the breaker away from closed before closing it.
      const probing = nextChange(follower, (s) => s.breaker.state === 'probing');
      await a.openBreaker(0, '5 failed calls in a row', 'engine-a');
      const takers = await Promise.all([a.takeProbe('engine-a', 60_000), b.takeProbe('engine-b', 60_000)]);
      expect(takers.filter(Boolean)).toHaveLength(1);
      expect((await a.read()).breaker).toMatchObject({ state: 'probing', reason: '5 failed calls in a row' });

      await probing;
      const closed = nextChange(follower, (s) => s.breaker.state === 'closed');
      await a.closeBreaker('engine-a');
      expect((await closed).breaker).toEqual({ state: 'closed' });
    } finally {
      stop();
    }
  });

  it('a probe whose engine vanished can be taken over after the probe timeout', async () => {
    const { a, b, stop } = await twoEngines();
    try {
      await a.openBreaker(0, 'timeouts', 'engine-a');
      expect(await a.takeProbe('engine-a', 3_600_000)).toBe(true);
      expect(await b.takeProbe('engine-b', 3_600_000)).toBe(false);
      expect(await b.takeProbe('engine-b', 0)).toBe(true);
      expect((await b.read()).breaker).toMatchObject({ state: 'probing', probeOwner: 'engine-b' });
    } finally {
      stop();
    }
  });

  it('Pause pressed in one console stops every engine; Resume in another lifts it', async () => {
    const { a, b, follower, stop } = await twoEngines();
    try {
      const paused = nextChange(follower, (s) => s.workerPause !== null);
      await a.pauseWorkers('iCIMS maintenance tonight', 'operator@console-1');
      expect((await paused).workerPause).toMatchObject({
        reason: 'iCIMS maintenance tonight',
        by: 'operator@console-1',
      });
      const resumed = nextChange(follower, (s) => s.workerPause === null);
      await b.resumeWorkers('operator@console-2');
      expect((await resumed).workerPause).toBeNull();
    } finally {
      stop();
    }
  });

  it('settings saved from one console bump the version every engine follows', async () => {
    const { a, follower, stop } = await twoEngines();
    try {
      expect(follower.current?.settingsVersion).toBe(0);
      const bumped = nextChange(follower, (s) => s.settingsVersion === 2);
      await a.settingsSaved('admin@console-1');
      await a.settingsSaved('admin@console-2');
      expect((await bumped).settingsVersion).toBe(2);
    } finally {
      stop();
    }
  });
});
