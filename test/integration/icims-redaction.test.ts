import { inspect } from 'node:util';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/main/engine/config/resolve-config';
import { createIcimsClient } from '../../src/main/engine/icims/create-client';
import { startFakeIcims } from '../fakes/fake-icims';
import type { AuthKind } from '../fakes/icims-fixtures';
import { ALL_SECRETS, AUTH_KINDS, configFor, CREDENTIALS, envFor, fakeAuth } from '../fakes/icims-fixtures';
import { CapturingLogger, RecordingSink } from '../fakes/recording-sink';

/**
 * No credential may leave the client: not in a thrown message, a log line, a metrics record, or
 * the config's JSON/inspect output — even when iCIMS echoes it back in an error body.
 */

function expectNoSecret(text: string, extra: string[] = []): void {
  for (const secret of [...ALL_SECRETS, ...extra]) expect(text).not.toContain(secret);
  // The Basic header value is a secret of its own.
  expect(text).not.toContain(Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64'));
}

async function run(ctx: TestContext, auth: AuthKind, wrongSecret: boolean) {
  const fake = await startFakeIcims({ auth: fakeAuth(auth) });
  const sink = new RecordingSink();
  const logger = new CapturingLogger();
  const config = configFor(fake, auth, 'applications', { ICIMS_CIRCUIT_THRESHOLD: '100' }, wrongSecret);
  const client = createIcimsClient(config.icims, { sink, logger, random: () => 0.5 });
  ctx.onTestFinished(async () => {
    await client.close();
    await fake.close();
  });
  const messages: string[] = [];
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (error) {
      messages.push((error as Error).message, String(error), (error as Error).stack ?? '', inspect(error));
    }
  };
  return { fake, sink, logger, config, client, messages, attempt };
}

describe.concurrent('redaction', () => {
  for (const auth of AUTH_KINDS) {
    it(`${auth}: wrong credentials and failures leak no secret into errors, logs or metrics`, async (ctx) => {
      const bad = await run(ctx, auth, true);
      await bad.attempt(() => bad.client.getApplication('APP-1'));
      await bad.attempt(() => bad.client.addApplicationNote('APP-1', 'note', 'k'));
      expect(bad.messages.length).toBeGreaterThan(0);

      const good = await run(ctx, auth, false);
      // iCIMS (or a proxy) echoing the request's credentials back in its error body and headers.
      const echoed = `Rejected request with Authorization: ${auth === 'basic' ? 'Basic' : 'Bearer'} ${CREDENTIALS.apiKey} password=${CREDENTIALS.password} client_secret=${CREDENTIALS.clientSecret}`;
      good.fake.fail('getApplication', {
        status: 400,
        headers: { 'x-error': echoed },
        body: { errors: [{ errorMessage: echoed, errorCode: 3 }] },
        times: 1,
      });
      await good.attempt(() => good.client.getApplication('APP-1'));
      good.fake.fail('getApplication', { status: 500, body: `upstream said: ${echoed}`, times: 4 });
      await good.attempt(() => good.client.getApplication('APP-1'));
      await good.attempt(async () => {
        const result = await good.client.testConnection();
        throw new Error(result.message);
      });
      expect(good.messages.length).toBe(3 * 4);
      // OAuth access tokens issued by the fake are secrets too.
      const tokens =
        good.fake.tokenRequests.length > 0
          ? good.fake.callsTo('getApplication').map((c) => c.headers.authorization?.split(' ')[1] ?? '')
          : [];

      for (const r of [bad, good]) {
        const everything = [
          ...r.messages,
          ...r.logger.lines,
          JSON.stringify(r.sink.calls),
          JSON.stringify(r.config),
          inspect(r.config, { depth: 10 }),
          String(r.config.icims.auth.method),
        ].join('\n');
        expectNoSecret(everything, tokens.filter(Boolean));
      }
      expect(good.messages[0]).toContain('[redacted]');
      expect(good.logger.lines.length).toBeGreaterThan(0);
    });
  }

  it('the config never shows a secret through JSON, String(), template literals or inspect', () => {
    const config = resolveConfig({
      env: {
        ...envFor(
          { url: 'https://api.icims.com', tokenUrl: 'https://login.icims.com/oauth/token' } as never,
          'oauth',
          'applications',
        ),
        CONSOLE_API_TOKEN: 'console-token-93ab71-0123456789abcdef',
      },
      saved: { apiKey: CREDENTIALS.apiKey, password: CREDENTIALS.password },
    });
    const auth = config.icims.auth;
    expect(auth.method).toBe('oauth');
    const secret = auth.method === 'oauth' ? auth.clientSecret : null;
    const renderings = [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      String(secret),
      `${String(secret)}`,
      `${secret as unknown as string}`,
      inspect(secret),
      JSON.stringify({ ...config.icims.auth }),
    ];
    for (const text of renderings) {
      expect(text).not.toContain(CREDENTIALS.clientSecret);
      expect(text).not.toContain('console-token-93ab71-0123456789abcdef');
    }
    expect(secret?.reveal()).toBe(CREDENTIALS.clientSecret);
    expect(config.http.apiToken?.reveal()).toBe('console-token-93ab71-0123456789abcdef');
  });
});
