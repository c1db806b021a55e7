import { describe, expect, it } from 'vitest';
import { startFakeIcims } from '../fakes/fake-icims';
import {
  closeConsolesAfterEach,
  makeEvent,
  startConsole,
  TEST_API_KEY,
  TEST_TEAM_KEY,
  testEnv,
  waitFor,
} from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { pgAvailable } from '../helpers/pg-cluster';
import { usePgCluster } from '../helpers/use-pg-cluster';

closeConsolesAfterEach();

const THRESHOLD = 3;
// Longer than it takes to see B hold (its waitFor allows 2 s): B must read the hold while the
// circuit is still open. Once A takes the probe, B's hold runs to the probe's timeout instead
// (team-coordination.ts followBreaker), and A's probe call legitimately goes out before that.
const COOLDOWN_MS = 5_000;

const snapshotOf = async (console: ConsoleHarness) => (await console.api('GET', '/api/ops/icims')).body;

describe.skipIf(!pgAvailable)('team mode: the circuit breaker is the team’s', () => {
  const cluster = usePgCluster();

  it('an open circuit on one engine holds the other; after the cool-down one probe closes it for both', async () => {
    const url = await cluster().createDatabase();
    // One iCIMS for the team: both engines send to the same fake.
    const fake = await startFakeIcims({ auth: { mode: 'apiKey', apiKey: TEST_API_KEY }, dedupe: false });
    const env = (name: string) => ({
      ...testEnv(fake),
      ICIMS_CIRCUIT_THRESHOLD: String(THRESHOLD),
      ICIMS_CIRCUIT_COOLDOWN_MS: String(COOLDOWN_MS),
      SYNC_DATABASE_URL: url,
      SYNC_NODE_NAME: name,
      SYNC_TEAM_KEY: TEST_TEAM_KEY,
    });
    const a = await startConsole({ env: env('engine-a') });
    const b = await startConsole({ env: env('engine-b') });
    try {
      fake.fail('*', { status: 503 });
      await a.api('POST', '/api/events', { body: makeEvent('booked', { applicationId: 'APP-CIRCUIT-1' }) });
      await waitFor(async () => (await snapshotOf(a)).circuit.state === 'open' || null, {
        what: 'the circuit to open',
      });

      // B follows: it holds for the open circuit and sends nothing meanwhile.
      const held = await waitFor(
        async () => {
          const worker = (await snapshotOf(b)).worker;
          return worker.holdReason === 'circuit_open' ? worker : null;
        },
        { timeoutMs: 2_000, what: 'engine B to hold for the team’s open circuit' },
      );
      expect(held.rateLimitedUntil).not.toBeNull();
      const callsWhenOpen = fake.calls.length;
      const second = await b.api('POST', '/api/events', {
        body: makeEvent('cancelled', { applicationId: 'APP-CIRCUIT-2' }),
      });
      await b.workerTurn();
      expect(fake.calls.length).toBe(callsWhenOpen);

      // iCIMS is back. After the cool-down one engine probes; its success lets both send again.
      fake.clearFaults();
      const secondDone = await b.waitForJob(second.body.jobId as number, 'completed');
      expect(secondDone.status).toBe('completed');
      const firstCallAfter = fake.calls[callsWhenOpen]!;
      expect(firstCallAfter.time).toBeGreaterThanOrEqual(Date.parse(held.rateLimitedUntil) - 50);
      await waitFor(
        async () =>
          (await snapshotOf(a)).worker.holdReason === null && (await snapshotOf(b)).worker.holdReason === null,
        { what: 'both engines to send again' },
      );
    } finally {
      await fake.close();
    }
  });
});
