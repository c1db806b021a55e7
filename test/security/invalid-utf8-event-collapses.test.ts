import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent, startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

/*
 * Attack 8: invalid UTF-8 was replaced with U+FFFD, so two event ids that differed only in their
 * broken bytes became one: the second event was answered `duplicate: true` and silently lost.
 */
let harness: ConsoleHarness;
beforeAll(async () => {
  harness = await startConsole();
});
afterAll(async () => {
  await harness?.close();
});

/** The event as JSON bytes with `\u0000` placeholders in its id replaced by one raw byte. */
function withRawByte(byte: number): Buffer {
  const json = JSON.stringify(makeEvent('booked', { eventId: 'evt-BYTE-1' }));
  const [before, after] = json.split('BYTE');
  return Buffer.concat([Buffer.from(before ?? ''), Buffer.from([byte]), Buffer.from(after ?? '')]);
}

describe('a body that is not valid UTF-8 is refused, never repaired', () => {
  it('two events whose ids differ only in invalid bytes are both refused with 400; nothing is stored', async () => {
    const before = (await harness.api('GET', '/api/jobs?limit=500')).body.jobs.length;
    for (const byte of [0xff, 0xfe]) {
      const res = await harness.api('POST', '/api/events', {
        raw: withRawByte(byte),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_utf8', message: expect.stringMatching(/not valid UTF-8/) });
    }
    expect((await harness.api('GET', '/api/jobs?limit=500')).body.jobs.length).toBe(before);
  });

  it('valid UTF-8 beyond ASCII is accepted as it is', async () => {
    const res = await harness.api('POST', '/api/events', {
      body: makeEvent('booked', { candidateName: 'Zoë Ångström' }),
    });
    expect(res.status).toBe(202);
  });
});
