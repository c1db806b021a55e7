import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { OffsetClock } from '../helpers/offset-clock';
import { issueListSchema } from '../../src/shared/issues';

let harness: ConsoleHarness | null = null;
let receiver: Receiver | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
  await receiver?.close();
  receiver = null;
});

interface Receiver {
  url: string;
  bodies: Record<string, unknown>[];
  /** Answers to give, in order; 200 once they run out. */
  answers: number[];
  close(): Promise<void>;
}

/** A real local HTTP receiver standing in for Slack or an incident tool. */
async function startReceiver(): Promise<Receiver> {
  const bodies: Record<string, unknown>[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      if (status === 200) bodies.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    // The path stands for the secret part of a Slack webhook URL.
    url: `http://127.0.0.1:${port}/services/T000/B000/hush-secret-path-42`,
    bodies,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('issues, silence and staleness, webhook', () => {
  it('an old pending job opens an issue, the webhook hears open and resolve (retried after a 500), and the URL stays secret', async () => {
    const clock = new OffsetClock();
    harness = await startConsole({ clock });
    receiver = await startReceiver();
    receiver.answers.push(500);
    await harness.engine.api.saveAlertSettings({
      values: { pendingAgeMinutes: 30, webhookFormat: 'json' },
      webhookUrl: receiver.url,
    });
    const view = await harness.engine.api.getAlertSettings({});
    expect(view).toMatchObject({ webhookUrlSet: true, webhookHost: new URL(receiver.url).host });
    expect(JSON.stringify(view)).not.toContain('hush-secret-path-42');
    const [saved] = (await harness.engine.api.listAudit({ limit: 1 })).entries;
    expect(saved).toMatchObject({
      action: 'settings_change',
      detail: 'Oldest pending job alert, Webhook format, Webhook URL (replaced)',
    });

    await harness.engine.api.pauseWorker({});
    await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    expect(await harness.engine.checkIssues()).toEqual([]);

    clock.advance(31 * 60_000);
    const [opened] = await harness.engine.checkIssues();
    expect(opened).toMatchObject({ type: 'opened', issue: { kind: 'pending_too_old', state: 'open', count: 1 } });

    const listed = issueListSchema.parse((await harness.api('GET', '/api/issues')).body);
    expect(listed.openCount).toBe(1);
    expect(listed.issues[0]!.title).toMatch(/^Oldest pending job has waited 3\d minutes$/);
    expect((await harness.engine.api.getSnapshot({})).openIssues).toBe(1);
    expect((await harness.api('GET', '/api/issues', { token: null })).status).toBe(401);

    // The receiver answered 500 first: the same message arrives on the retry.
    await waitFor(() => receiver!.bodies.length === 1, {
      what: 'the webhook to deliver after its retry',
      timeoutMs: 10_000,
    });
    expect(receiver.bodies[0]).toMatchObject({ event: 'issue.opened', issue: { kind: 'pending_too_old' } });

    await harness.engine.api.resumeWorker({});
    await waitFor(async () => (await harness!.engine.api.getJobCounts({})).pending === 0, { what: 'the job to go' });
    const [resolved] = await harness.engine.checkIssues();
    expect(resolved).toMatchObject({ type: 'resolved', issue: { resolvedBy: 'condition cleared' } });
    await waitFor(() => receiver!.bodies.length === 2, { what: 'the resolve message' });
    expect(receiver.bodies[1]).toMatchObject({ event: 'issue.resolved' });

    // The URL is a secret: not in the log, not in the diagnostics bundle.
    await harness.stopConsole();
    expect(readFileSync(join(harness.dataDir, 'console.log'), 'utf8')).not.toContain('hush-secret-path-42');
  });

  it('Slack format; Test button; with no business hours set, any 60 silent minutes open "events stopped"', async () => {
    const clock = new OffsetClock();
    harness = await startConsole({ clock });
    receiver = await startReceiver();
    expect(await harness.engine.api.testWebhook({})).toMatchObject({ ok: false, message: /No webhook URL/ });
    await harness.engine.api.saveAlertSettings({ values: { silenceMinutes: 60 }, webhookUrl: receiver.url });
    expect(await harness.engine.api.testWebhook({})).toMatchObject({ ok: true });
    expect(receiver.bodies[0]!['text']).toMatch(/Test message from the iCIMS Sync Console/);
    receiver.answers.push(503);
    expect(await harness.engine.api.testWebhook({})).toEqual({
      ok: false,
      message: 'The webhook receiver did not accept the test message: HTTP 503.',
    });

    clock.advance(61 * 60_000);
    const [stopped] = await harness.engine.checkIssues();
    expect(stopped).toMatchObject({ type: 'opened', issue: { kind: 'events_stopped', severity: 'warning' } });
    await waitFor(() => receiver!.bodies.length === 2, { what: 'the Slack message' });
    expect(receiver.bodies[1]!['text']).toMatch(
      /^:large_orange_circle: \*Opened\* \(warning\): No scheduling event for 60\+ minutes/,
    );

    // An event arrives: the silence is over.
    await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    expect((await harness.engine.checkIssues()).map((t) => t.type)).toEqual(['resolved']);

    // Bad input names the field as the screen does.
    await expect(harness.engine.api.saveAlertSettings({ values: { businessHours: 'nine to five' } })).rejects.toThrow(
      'Business hours must read like "Mon-Fri 09:00-17:00"',
    );
  });

  it('failed jobs with the same error become one growing failure-group issue', async () => {
    harness = await startConsole();
    harness.fake.fail('addNote', {
      status: 422,
      times: 4,
      body: { errors: [{ errorMessage: 'Note field 17 is locked' }] },
    });
    for (const app of ['APP-1', 'APP-2', 'APP-3']) {
      await harness.api('POST', '/api/events', { body: makeEvent('booked', { applicationId: app }) });
    }
    await waitFor(async () => (await harness!.engine.api.getJobCounts({})).failed === 3, { what: 'three failures' });
    const [opened] = await harness.engine.checkIssues();
    expect(opened).toMatchObject({ type: 'opened', issue: { kind: 'failure_group', count: 3 } });
    expect(opened!.issue.detail).toContain('Note field 17 is locked');

    await harness.api('POST', '/api/events', { body: makeEvent('booked', { applicationId: 'APP-4' }) });
    await waitFor(async () => (await harness!.engine.api.getJobCounts({})).failed === 4, { what: 'a fourth failure' });
    expect(await harness.engine.checkIssues()).toEqual([]);
    const { issues } = await harness.engine.api.listIssues({});
    expect(issues.filter((i) => i.kind === 'failure_group').map((i) => [i.count, i.title])).toEqual([
      [4, '4 jobs failed with the same error'],
    ]);
  });
});
