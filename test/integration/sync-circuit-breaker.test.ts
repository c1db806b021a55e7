import { describe, expect, it } from 'vitest';
import { closeConsolesAfterEach, makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

const THRESHOLD = 3;
const COOLDOWN_MS = 1500;

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe('the circuit breaker', () => {
  it('opens after the threshold of failed calls, sends nothing and spends no retry while open, then one probe reopens the flow', async () => {
    harness = await startConsole({
      envOverrides: {
        ICIMS_CIRCUIT_THRESHOLD: String(THRESHOLD),
        ICIMS_CIRCUIT_COOLDOWN_MS: String(COOLDOWN_MS),
        // Shorter than the cool-down: the first job comes due again while the circuit is open.
        SYNC_BACKOFF_MS: '200,200,200,200,200',
      },
    });
    const h = harness;
    const fake = h.fake;
    fake.fail('*', { status: 503 });

    const first = await h.api('POST', '/api/events', { body: makeEvent('booked', { applicationId: 'APP-FIRST' }) });
    const firstId = first.body.jobId as number;
    const open = await waitFor(
      async () => {
        const snapshot = (await h.api('GET', '/api/ops/icims', { token: null })).body;
        return snapshot.circuit.state === 'open' ? snapshot : null;
      },
      { what: 'the circuit to open' },
    );
    // The initial write fails in doubt (a 503 may come after iCIMS stored the note), so it is not
    // repeated inside the call; its retry reads the notes back, and that read and its in-request
    // retry reach the threshold: the breaker cut them short.
    expect(fake.calls).toHaveLength(THRESHOLD);
    expect(fake.calls.map((call) => call.route)).toEqual(['addNote', 'readNotes', 'readNotes']);
    expect(open.status).toBe('down');
    expect(open.circuit).toMatchObject({ consecutiveFailures: THRESHOLD, threshold: THRESHOLD });
    expect(open.alerts).toContainEqual(expect.objectContaining({ id: 'circuit_open', severity: 'critical' }));
    const nextProbeAt = Date.parse(open.circuit.nextProbeAt);

    // While open: new jobs wait, and the first job's backoff runs out without anything being sent.
    const more = await h.api('POST', '/api/events', {
      body: [makeEvent('cancelled', { applicationId: 'APP-B' }), makeEvent('link_created', { applicationId: 'APP-C' })],
    });
    const ids: number[] = [firstId, ...more.body.jobs.map((job: { jobId: number }) => job.jobId)];
    const bounced = async () =>
      (await Promise.all(ids.map((id) => h.engine.api.getJob({ id })))).flatMap((job) =>
        job.history.filter((a) => a.outcome === 'circuit_open'),
      );
    await waitFor(async () => (await bounced()).length > 0, { what: 'a job turned away by the open circuit' });
    const backoffEnds = Date.parse((await h.waitForJob(firstId, 'pending')).runAfter!);
    await waitFor(() => Date.now() > backoffEnds, { what: "the first job's backoff to run out" });
    await h.workerTurn();
    expect(fake.calls).toHaveLength(THRESHOLD);
    for (const id of ids) {
      const job = await h.engine.api.getJob({ id });
      expect(job.status, `job ${id}`).toBe('pending');
      // Only the first job's failed read-back spent a retry; waiting on the open circuit spends none.
      expect(job.attempts, `job ${id}`).toBe(id === firstId ? 1 : 0);
    }

    // The first probe still fails: the circuit opens for another cool-down, and only that one
    // call went out. Then iCIMS recovers; the next probe succeeds and the queue drains.
    fake.clearFaults();
    fake.fail('*', { status: 503, times: 1 });
    const reopened = await waitFor(
      async () => {
        const snapshot = (await h.api('GET', '/api/ops/icims', { token: null })).body;
        return fake.calls.length > THRESHOLD && snapshot.circuit.state === 'open' ? snapshot : null;
      },
      { what: 'the failed probe to reopen the circuit' },
    );
    expect(fake.calls).toHaveLength(THRESHOLD + 1);
    const failedProbe = fake.calls[THRESHOLD]!;
    expect(failedProbe.time).toBeGreaterThanOrEqual(nextProbeAt);
    expect(reopened.status).toBe('down');
    const secondProbeAt = Date.parse(reopened.circuit.nextProbeAt);
    expect(secondProbeAt).toBeGreaterThanOrEqual(failedProbe.time + COOLDOWN_MS - 50);

    await waitFor(async () => (await h.engine.api.getJobCounts({})).completed === 3, {
      timeoutMs: 10_000,
      what: 'the queue to drain',
    });
    expect(fake.calls[THRESHOLD + 1]!.time).toBeGreaterThanOrEqual(secondProbeAt);
    expect(fake.notes.map((note) => note.applicationId).sort()).toEqual(['APP-B', 'APP-C', 'APP-FIRST']);
    // After the second probe everything went through: the notes, and the read-back of any job
    // whose write was in doubt.
    expect(fake.calls.slice(THRESHOLD + 1).every((call) => call.status === 201 || call.status === 200)).toBe(true);
    expect(fake.notes).toHaveLength(3);
    // Three tries failed for real — the first job's initial write, its read-back, and the failed
    // probe (a try of whichever job made it); waiting on the open circuit cost nobody anything.
    const jobs = await Promise.all(ids.map((id) => h.engine.api.getJob({ id })));
    const failedTries = jobs
      .flatMap((job) => job.history)
      .filter((a) => a.outcome === 'retryable_failure' || a.outcome === 'in_doubt');
    expect(failedTries).toHaveLength(3);
    expect(jobs.reduce((sum, job) => sum + job.attempts, 0)).toBeLessThanOrEqual(2);
    // Only a probe went out when a cool-down ended; no job was turned away by the half-open
    // circuit (which would have held the whole queue again after the probe succeeded).
    for (const attempt of await bounced()) {
      const at = Date.parse(attempt.at);
      expect(at < nextProbeAt || (at > failedProbe.time && at < secondProbeAt), `circuit_open at ${attempt.at}`).toBe(
        true,
      );
    }
    const closed = (await h.api('GET', '/api/ops/icims', { token: null })).body;
    expect(closed.circuit).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(closed.alerts.map((alert: { id: string }) => alert.id)).not.toContain('circuit_open');
  });
});
