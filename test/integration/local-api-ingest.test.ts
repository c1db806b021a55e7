import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ApiBody, ConsoleHarness } from '../helpers/console-harness';

/*
 * One console for the whole file: every case here is a request/response check against the same
 * data folder. Cases that must see "nothing stored" compare the job list before and after.
 */
let harness: ConsoleHarness;
beforeAll(async () => {
  harness = await startConsole();
});
afterAll(async () => {
  await harness?.close();
});

/** How many jobs GET /api/jobs lists (this file stores far fewer than a page of 500). */
async function jobCount(): Promise<number> {
  const page = await harness.api('GET', '/api/jobs?limit=500');
  expect(page.status).toBe(200);
  expect(page.body.nextCursor).toBeNull();
  return page.body.jobs.length;
}

/** A request with a chosen Host header (undici sets it from the URL otherwise). */
async function withHost(host: string, path: string): Promise<{ status: number; body: ApiBody }> {
  const res = await request(`${harness.url}${path}`, { method: 'GET', headers: { host } });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : null };
}

describe('POST /api/events: authentication', () => {
  it('refuses a missing or wrong token with 401 and stores nothing', async () => {
    const before = await jobCount();
    for (const token of [null, 'wrong-token-0123456789', '']) {
      const res = await harness.api('POST', '/api/events', { body: makeEvent('booked'), token });
      expect(res.status, `token ${String(token)}`).toBe(401);
      expect(res.body.error).toBe('unauthorized');
    }
    expect((await harness.api('GET', '/api/jobs', { token: null })).status).toBe(401);
    expect((await harness.api('GET', '/api/jobs', { token: 'nope-nope-nope' })).status).toBe(401);
    expect(await jobCount()).toBe(before);
  });
});

describe('POST /api/events: validation', () => {
  const cases: { name: string; event: Record<string, unknown>; path: string }[] = [
    { name: 'missing eventId', event: makeEvent('booked', { eventId: undefined }), path: 'eventId' },
    { name: 'empty eventId', event: makeEvent('booked', { eventId: '' }), path: 'eventId' },
    { name: 'unknown type', event: makeEvent('booked', { type: 'moved' }), path: 'type' },
    {
      name: 'entityType that does not fit the type',
      event: makeEvent('booked', { entityType: 'scheduling_request' }),
      path: 'entityType',
    },
    { name: 'booked without startsAt', event: makeEvent('booked', { startsAt: undefined }), path: 'startsAt' },
    {
      name: 'rescheduled without previousStartsAt',
      event: makeEvent('rescheduled', { previousStartsAt: null }),
      path: 'previousStartsAt',
    },
    {
      name: 'link_created without schedulingLinkUrl',
      event: makeEvent('link_created', { schedulingLinkUrl: undefined }),
      path: 'schedulingLinkUrl',
    },
    {
      name: 'applicationId with a slash',
      event: makeEvent('booked', { applicationId: 'APP/../1' }),
      path: 'applicationId',
    },
    {
      name: 'applicationId with a space',
      event: makeEvent('booked', { applicationId: 'APP 1' }),
      path: 'applicationId',
    },
    { name: 'entityId that is not a UUID', event: makeEvent('booked', { entityId: 'booking-1' }), path: 'entityId' },
    {
      name: 'time without an offset',
      event: makeEvent('booked', { startsAt: '2026-01-16T19:00:00' }),
      path: 'startsAt',
    },
    {
      name: 'occurredAt that is not a time',
      event: makeEvent('booked', { occurredAt: 'yesterday' }),
      path: 'occurredAt',
    },
    { name: 'unknown time zone', event: makeEvent('booked', { timezone: 'Mars/Olympus_Mons' }), path: 'timezone' },
  ];

  for (const { name, event, path } of cases) {
    it(`400 for ${name}, naming ${path}`, async () => {
      const before = await jobCount();
      const single = await harness.api('POST', '/api/events', { body: event });
      expect(single.status).toBe(400);
      expect(single.body.error).toBe('invalid_input');
      expect(single.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
      for (const issue of single.body.issues) expect(issue.message).toEqual(expect.any(String));

      // In an array the path carries the index; the valid neighbour is not stored either.
      const batch = await harness.api('POST', '/api/events', { body: [makeEvent('cancelled'), event] });
      expect(batch.status).toBe(400);
      expect(batch.body.issues.map((issue: { path: string }) => issue.path)).toContain(`1.${path}`);
      expect(batch.body.message).toMatch(/nothing was stored/);
      expect(await jobCount()).toBe(before);
    });
  }

  it('400 for bodies that are not events: invalid JSON, a scalar, an empty array, more than 1000 events', async () => {
    const before = await jobCount();
    const broken = await harness.api('POST', '/api/events', {
      raw: '{"eventId": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('invalid_json');
    expect((await harness.api('POST', '/api/events', { body: 42 })).status).toBe(400);
    expect((await harness.api('POST', '/api/events', { body: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, () => makeEvent('cancelled'));
    const many = await harness.api('POST', '/api/events', { body: tooMany });
    expect(many.status).toBe(400);
    expect(many.body.error).toBe('invalid_input');
    expect(many.body.message).toMatch(/1000/);
    expect(await jobCount()).toBe(before);
  });

  it('413 for a body over 1 MiB', async () => {
    const before = await jobCount();
    const big = makeEvent('cancelled', { reason: 'x'.repeat(1024 * 1024) });
    const res = await harness.api('POST', '/api/events', { body: big });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');

    // The same without a Content-Length (chunked): counted while it streams in.
    async function* chunks() {
      yield Buffer.from('[');
      for (let i = 0; i < 20; i++)
        yield Buffer.from(`${JSON.stringify(makeEvent('cancelled', { reason: 'y'.repeat(900) }))},`.repeat(60));
      yield Buffer.from(']');
    }
    const streamed = await request(`${harness.url}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.engine.apiToken}`, 'content-type': 'application/json' },
      body: Readable.from(chunks()),
    });
    expect(streamed.statusCode).toBe(413);
    expect(JSON.parse(await streamed.body.text()).error).toBe('payload_too_large');
    // The refused connection stays usable: the next requests (which may reuse it) are answered.
    for (let i = 0; i < 3; i++) expect((await harness.api('GET', '/api/ops/icims', { token: null })).status).toBe(200);
    expect(await jobCount()).toBe(before);
  });

  it('accepts 1000 events in one request, in order', async () => {
    // Its own console, paused, so a thousand notes do not queue ahead of the other cases' notes.
    const bulk = await startConsole();
    try {
      await bulk.engine.api.pauseWorker({});
      const events = Array.from({ length: 1000 }, () => makeEvent('cancelled', { applicationId: 'APP-BULK' }));
      const res = await bulk.api('POST', '/api/events', { body: events });
      expect(res.status).toBe(202);
      expect(res.body.jobs.map((job: { eventId: string }) => job.eventId)).toEqual(
        events.map((event) => event.eventId),
      );
      expect(res.body.jobs.every((job: { duplicate: boolean }) => job.duplicate === false)).toBe(true);
      expect((await bulk.engine.api.getJobCounts({ applicationId: 'APP-BULK' })).pending).toBe(1000);
    } finally {
      await bulk.close();
    }
  });
});

describe('POST /api/events: duplicates', () => {
  it('a re-posted eventId answers duplicate: true with the same job and writes no second note', async () => {
    const event = makeEvent('booked', { applicationId: 'APP-DUP' });
    const first = await harness.api('POST', '/api/events', { body: event });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ eventId: event.eventId, jobId: expect.any(Number), duplicate: false });
    await harness.waitForJob(first.body.jobId, 'completed');

    const again = await harness.api('POST', '/api/events', { body: event });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ eventId: event.eventId, jobId: first.body.jobId, duplicate: true });
    // In an array, next to a new one, and twice within one batch.
    const fresh = makeEvent('cancelled', { applicationId: 'APP-DUP' });
    const batch = await harness.api('POST', '/api/events', { body: [event, fresh, fresh] });
    expect(batch.status).toBe(202);
    expect(batch.body.jobs[0]).toEqual({ eventId: event.eventId, jobId: first.body.jobId, duplicate: true });
    expect(batch.body.jobs[1].duplicate).toBe(false);
    expect(batch.body.jobs[2]).toEqual({ eventId: fresh.eventId, jobId: batch.body.jobs[1].jobId, duplicate: true });

    await harness.waitForJob(batch.body.jobs[1].jobId, 'completed');
    const jobs = await harness.api('GET', '/api/jobs?applicationId=APP-DUP');
    expect(jobs.body.jobs).toHaveLength(2);
    expect(harness.fake.notes.filter((note) => note.applicationId === 'APP-DUP')).toHaveLength(2);
  });
});

describe('DNS-rebinding guard', () => {
  it('refuses a foreign Host header with 403 and accepts the bound address and localhost', async () => {
    const port = new URL(harness.url).port;
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      `localhost.evil.example`,
    ]) {
      const res = await withHost(host, '/api/ops/icims');
      expect(res.status, host).toBe(403);
      expect(res.body.error).toBe('forbidden_host');
    }
    for (const host of [`localhost:${port}`, 'localhost', `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      expect((await withHost(host, '/api/ops/icims')).status, host).toBe(200);
    }
  });
});

describe('GET /api/ops/icims and GET /api/jobs', () => {
  it('the health snapshot needs no token', async () => {
    const res = await harness.api('GET', '/api/ops/icims', { token: null });
    expect(res.status).toBe(200);
    expect(res.body.status).toMatch(/^(healthy|degraded|down)$/);
    expect((await harness.api('POST', '/api/ops/icims', { token: null })).status).toBe(405);
  });

  it('pages newest first with a cursor and filters by status and application', async () => {
    const app = 'APP-PAGES';
    const events = Array.from({ length: 7 }, (_, i) => makeEvent('cancelled', { applicationId: app, reason: `r${i}` }));
    const posted = await harness.api('POST', '/api/events', { body: events });
    const ids: number[] = posted.body.jobs.map((job: { jobId: number }) => job.jobId);
    await waitFor(async () => (await harness.engine.api.getJobCounts({ applicationId: app })).completed === 7, {
      what: 'the page jobs to complete',
    });

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/jobs?applicationId=${app}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await harness.api('GET', query);
      expect(page.status).toBe(200);
      for (const job of page.body.jobs) {
        expect(Object.keys(job).sort()).toEqual(
          [
            'applicationId',
            'attempts',
            'createdAt',
            'eventId',
            'id',
            'inDoubt',
            'lastError',
            'maxAttempts',
            'runAfter',
            'status',
            'type',
            'updatedAt',
          ].sort(),
        );
        expect(job.applicationId).toBe(app);
      }
      seen.push(...page.body.jobs.map((job: { id: number }) => job.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].sort((a, b) => b - a));

    const completed = await harness.api('GET', `/api/jobs?applicationId=${app}&status=completed&limit=500`);
    expect(completed.body.jobs).toHaveLength(7);
    expect(completed.body.nextCursor).toBeNull();
    expect((await harness.api('GET', `/api/jobs?applicationId=${app}&status=failed`)).body.jobs).toEqual([]);
    const pending = await harness.api('GET', '/api/jobs?status=pending&limit=500');
    expect(pending.body.jobs.every((job: { status: string }) => job.status === 'pending')).toBe(true);

    for (const bad of ['status=done', 'limit=0', 'limit=501', 'cursor=not-a-cursor', 'applicationId=a%20b']) {
      const res = await harness.api('GET', `/api/jobs?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error).toBe('invalid_input');
    }
  });
});
