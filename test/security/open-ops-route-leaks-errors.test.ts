import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/main/engine/redaction';
import { makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

/*
 * Attack 7: the unauthenticated GET /api/ops/icims returned iCIMS' raw error texts and
 * application ids; redaction was case-sensitive, so an upper-cased key echoed by a server passed.
 */
let harness: ConsoleHarness;
beforeAll(async () => {
  harness = await startConsole();
});
afterAll(async () => {
  await harness?.close();
});

describe('the open ops route leaves out what needs the API token', () => {
  it('no error text and no application id without the token; both with it', async () => {
    const posted = await harness.api('POST', '/api/events', {
      body: makeEvent('booked', { applicationId: 'MISSING-7' }),
    });
    expect(posted.status).toBe(202);
    await waitFor(async () => (await harness.api('GET', `/api/jobs?status=failed`)).body.jobs.length > 0, {
      what: 'the 404 job to fail',
    });

    const open = await harness.api('GET', '/api/ops/icims', { token: null });
    expect(open.status).toBe(200);
    const text = JSON.stringify(open.body);
    expect(text).not.toContain('MISSING-7');
    expect(text).not.toMatch(/does not exist/);
    expect(open.body.recentFailures.length).toBeGreaterThan(0);
    expect(open.body.recentFailures[0]).toEqual({
      at: expect.any(String),
      operation: expect.any(String),
      statusCode: 404,
    });
    // What monitoring needs is all there.
    expect(open.body).toMatchObject({ status: expect.any(String), metricsLast24h: expect.any(Object) });

    const full = await harness.api('GET', '/api/ops/icims');
    expect(JSON.stringify(full.body)).toContain('MISSING-7');
  });
});

describe('redaction ignores case', () => {
  it('an upper-cased (or mixed-case) echo of a secret is redacted too', () => {
    const redact = createRedactor(['sk-live-4f9d2c7a1b8e']);
    expect(redact('invalid key SK-LIVE-4F9D2C7A1B8E for tenant')).toBe('invalid key [redacted] for tenant');
    expect(redact('key Sk-Live-4f9D2c7A1b8E')).not.toMatch(/4f9d2c7a1b8e/i);
  });
});
