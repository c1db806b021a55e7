import { describe, expect, it } from 'vitest';
import { closeConsolesAfterEach, makeEvent, queueBackend, startConsole, testEnv } from '../helpers/console-harness';

closeConsolesAfterEach();

describe('SYNC_WORKER=off', () => {
  it('a console that sends nothing still takes events and operates the queue; a sending console then delivers them once', async () => {
    const watcher = await startConsole({ envOverrides: { SYNC_WORKER: 'off' } });
    const first = await watcher.api('POST', '/api/events', {
      body: makeEvent('booked', { applicationId: 'APP-OFF-1' }),
    });
    expect(first.status).toBe(202);
    const second = await watcher.api('POST', '/api/events', {
      body: makeEvent('cancelled', { applicationId: 'APP-OFF-2' }),
    });

    const snapshot = (await watcher.api('GET', '/api/ops/icims')).body;
    expect(snapshot.worker.state).toBe('off');
    expect(snapshot.syncJobs.pending).toBe(2);

    // It operates the queue (cancel works). Alone it has no worker to pause or resume, and says
    // why; in team mode Pause and Resume are the team's, so it may press them.
    expect((await watcher.api('POST', `/api/jobs/${second.body.jobId}/cancel`)).status).toBe(200);
    if (queueBackend === 'sqlite') {
      await expect(watcher.engine.api.pauseWorker({})).rejects.toThrow(/SYNC_WORKER=off/);
      await expect(watcher.engine.api.resumeWorker({})).rejects.toThrow(/SYNC_WORKER=off/);
    } else {
      await watcher.engine.api.pauseWorker({});
      await watcher.engine.api.resumeWorker({});
    }
    await watcher.engine.checkIssues();
    expect(watcher.fake.calls).toHaveLength(0);

    // The same queue under a console that sends: the waiting job goes out, the cancelled one never.
    const sender = await watcher.restart(testEnv(watcher.fake));
    await sender.waitForJob(first.body.jobId as number, 'completed');
    expect(sender.fake.notes.map((note) => note.applicationId)).toEqual(['APP-OFF-1']);
    expect((await sender.api('GET', '/api/ops/icims')).body.worker.state).toBe('running');
  });
});
