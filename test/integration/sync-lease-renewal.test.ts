import { describe, expect, it } from 'vitest';
import { closeConsolesAfterEach, makeEvent, startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe('a live worker keeps its leases', () => {
  it('a call that outlasts SYNC_LEASE_MS is not taken up again (and sent twice) by the same running console', async () => {
    harness = await startConsole({ envOverrides: { SYNC_LEASE_MS: '600', ICIMS_TIMEOUT_MS: '5000' } });
    const fake = harness.fake;
    fake.configure({ latencyMs: 1500 });
    const posted = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    const id = posted.body.jobId as number;
    const job = await harness!.waitForJob(id, 'completed');
    expect(fake.callsTo('addNote')).toHaveLength(1);
    expect(fake.notes).toHaveLength(1);
    expect(job.history.map((a) => a.outcome)).toEqual(['success']);
  });
});
