import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { rpc } from './security-harness';

/*
 * Attack 10: /rpc checked neither Origin nor Sec-Fetch-Site and took `application/jsonfoo` as
 * JSON; results over HTTP skipped the contract's output schemas that IPC applied.
 */
let harness: ConsoleHarness;
beforeAll(async () => {
  harness = await startConsole();
});
afterAll(async () => {
  await harness?.close();
});

describe('/rpc answers only its own origin', () => {
  it('refuses another origin and cross-site fetch metadata before running anything', async () => {
    for (const headers of <Record<string, string>[]>[
      { origin: 'http://127.0.0.1:1' },
      { origin: 'null' },
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
    ]) {
      const res = await rpc(harness, 'pauseWorker', {}, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    const snapshot = await rpc(harness, 'getSnapshot');
    expect(snapshot.body.worker.state).toBe('running');
  });

  it('accepts its own origin and same-origin fetch metadata', async () => {
    const own = { origin: harness.url, 'sec-fetch-site': 'same-origin' };
    expect((await rpc(harness, 'getSnapshot', {}, { headers: own })).status).toBe(200);
  });
});

describe('/rpc takes exactly application/json', () => {
  it.each(['application/jsonfoo', 'text/plain', 'application/json-patch+json', 'application/json; charset=latin1'])(
    'refuses %s with 415',
    async (type) => {
      const res = await rpc(harness, 'getSnapshot', {}, { headers: { 'content-type': type } });
      expect(res.status).toBe(415);
    },
  );

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8'])(
    'accepts %s',
    async (type) => {
      expect((await rpc(harness, 'getSnapshot', {}, { headers: { 'content-type': type } })).status).toBe(200);
    },
  );
});

describe('/rpc and IPC share one dispatcher', () => {
  it('a key the contract does not name never leaves over HTTP (output parsed as over IPC)', async () => {
    const getSettings = harness.engine.api.getSettings;
    harness.engine.api.getSettings = async (input, context) =>
      ({ ...(await getSettings(input, context)), leaked: 'sk-live-should-not-leave' }) as never;
    try {
      const res = await rpc(harness, 'getSettings');
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('leaked');
    } finally {
      harness.engine.api.getSettings = getSettings;
    }
  });

  it('an output that breaks the contract is a generic 500, not a half-formed answer', async () => {
    const getSnapshot = harness.engine.api.getSnapshot;
    harness.engine.api.getSnapshot = async () => ({ status: 'fine' }) as never;
    try {
      const res = await rpc(harness, 'getSnapshot');
      expect(res.status).toBe(500);
      expect(res.body.error).toBe('internal');
    } finally {
      harness.engine.api.getSnapshot = getSnapshot;
    }
  });
});
