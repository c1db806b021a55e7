import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { AuthError, NetworkError, NotFoundError, ServerError } from '../../src/main/engine/icims/errors';
import type { IcimsClientHandle } from '../../src/main/engine/icims/create-client';
import { createIcimsClient } from '../../src/main/engine/icims/create-client';
import type { FakeIcims } from '../fakes/fake-icims';
import { startFakeIcims } from '../fakes/fake-icims';
import type { AuthKind, StyleKind } from '../fakes/icims-fixtures';
import { AUTH_KINDS, configFor, CUSTOMER_ID, fakeAuth, STYLE_KINDS } from '../fakes/icims-fixtures';
import { RecordingSink } from '../fakes/recording-sink';

/**
 * The client against the fake iCIMS over real HTTP, for both wire styles and all three auth
 * methods. Each test owns its fake server (port 0) and client, so the tests run concurrently:
 * the Retry-After waits (~1-2 s each) overlap instead of adding up.
 */

type Ctx = TestContext;

async function setup(
  ctx: Ctx,
  auth: AuthKind,
  style: StyleKind,
  opts: { wrongSecret?: boolean; env?: Record<string, string> } = {},
) {
  const fake = await startFakeIcims({
    auth: fakeAuth(auth),
    customerId: CUSTOMER_ID,
    applications: [
      {
        id: 'APP-12345',
        candidateName: 'John Doe',
        candidateEmail: 'john@example.com',
        requisitionId: 'REQ-456',
        requisitionTitle: 'Software Engineer',
        status: 'active',
      },
    ],
  });
  const sink = new RecordingSink();
  const client: IcimsClientHandle = createIcimsClient(configFor(fake, auth, style, opts.env, opts.wrongSecret).icims, {
    sink,
    random: () => 0.5,
  });
  // Per test, not afterEach: concurrent tests must not close each other's servers.
  ctx.onTestFinished(async () => {
    await client.close();
    await fake.close();
  });
  return { fake, client, sink };
}

/** The iCIMS requests of a route, without OAuth token calls. */
const apiCalls = (fake: FakeIcims, route: 'getApplication' | 'addNote') => fake.callsTo(route);

for (const style of STYLE_KINDS) {
  for (const auth of AUTH_KINDS) {
    describe.concurrent(`${style} style, ${auth} auth`, () => {
      it('getApplication returns the application details', async (ctx) => {
        const { fake, client } = await setup(ctx, auth, style);
        const app = await client.getApplication('APP-12345');
        expect(app).toEqual({
          id: 'APP-12345',
          candidateName: 'John Doe',
          candidateEmail: style === 'applications' ? 'john@example.com' : null,
          requisitionId: 'REQ-456',
          requisitionTitle: 'Software Engineer',
          status: 'active',
        });
        const call = apiCalls(fake, 'getApplication')[0];
        expect(call?.path).toBe(
          style === 'applications'
            ? '/api/v1/applications/APP-12345'
            : `/customers/${CUSTOMER_ID}/applicantworkflows/APP-12345`,
        );
        expect(call?.headers.accept).toBe('application/json');
        expect(call?.headers.authorization).toMatch(auth === 'basic' ? /^Basic / : /^Bearer /);
      });

      it('an unknown application is a NotFoundError carrying the iCIMS message', async (ctx) => {
        const { client } = await setup(ctx, auth, style);
        const error = await client.getApplication('APP-404').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NotFoundError);
        expect((error as NotFoundError).retryable).toBe(false);
        expect((error as Error).message).toBe('404 Not Found: Application APP-404 does not exist (errorCode 7)');
      });

      it('wrong credentials are an AuthError and are not retried', async (ctx) => {
        const { fake, client } = await setup(ctx, auth, style, { wrongSecret: true });
        const error = await client.getApplication('APP-12345').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuthError);
        expect((error as AuthError).statusCode).toBe(401);
        // OAuth is refused at the token endpoint: iCIMS itself is never called with a bad token.
        expect(apiCalls(fake, 'getApplication')).toHaveLength(auth === 'oauth' ? 0 : 1);
      });

      it('a 403 is an AuthError with the iCIMS error text', async (ctx) => {
        const { fake, client } = await setup(ctx, auth, style);
        fake.fail('getApplication', {
          status: 403,
          headers: { 'x-error': 'Missing permission: applicant workflows' },
          body: { errors: [] },
        });
        const error = await client.getApplication('APP-12345').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuthError);
        expect((error as Error).message).toBe('403 Forbidden: Missing permission: applicant workflows');
        expect(apiCalls(fake, 'getApplication')).toHaveLength(1);
      });

      it('a 5xx is retried 3 times inside the request, then raised as ServerError', async (ctx) => {
        const { fake, client, sink } = await setup(ctx, auth, style);
        fake.fail('getApplication', { status: 503 });
        const error = await client.getApplication('APP-12345').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ServerError);
        expect((error as ServerError).retryable).toBe(true);
        expect((error as Error).message).toContain('503 Service Unavailable');
        expect((error as Error).message).toContain('gave up after 4 attempts');
        expect(apiCalls(fake, 'getApplication')).toHaveLength(4);
        expect(sink.calls.filter((c) => c.operation === 'getApplication').map((c) => c.statusCode)).toEqual([
          503, 503, 503, 503,
        ]);
      });

      it('a 5xx followed by success returns the application', async (ctx) => {
        const { fake, client } = await setup(ctx, auth, style);
        fake.fail('getApplication', { status: 502, times: 2 });
        await expect(client.getApplication('APP-12345')).resolves.toMatchObject({ id: 'APP-12345' });
        expect(apiCalls(fake, 'getApplication')).toHaveLength(3);
      });

      it('addApplicationNote sends the idempotency key and the note in the style’s shape', async (ctx) => {
        const { fake, client } = await setup(ctx, auth, style);
        const result = await client.addApplicationNote(
          'APP-12345',
          'Interview scheduled: 2026-01-16 at 2:00 PM EST',
          'sched-APP-12345-abcd1234-2026-01-15',
        );
        expect(result.statusCode).toBe(201);
        const call = apiCalls(fake, 'addNote')[0];
        expect(call?.headers['idempotency-key']).toBe('sched-APP-12345-abcd1234-2026-01-15');
        expect(call?.headers['content-type']).toBe('application/json');
        const body = JSON.parse(call?.body ?? '{}') as Record<string, unknown>;
        if (style === 'applications') {
          expect(call?.path).toBe('/api/v1/applications/APP-12345/notes');
          expect(body).toEqual({
            content: 'Interview scheduled: 2026-01-16 at 2:00 PM EST',
            noteType: 'scheduling',
            idempotencyKey: 'sched-APP-12345-abcd1234-2026-01-15',
          });
        } else {
          expect(call?.path).toBe(`/customers/${CUSTOMER_ID}/applicantworkflows/APP-12345/fields/notes`);
          expect(body).toEqual({ note: 'Interview scheduled: 2026-01-16 at 2:00 PM EST' });
        }
        expect(fake.notes).toHaveLength(1);
      });

      it('a note POST cut off after iCIMS stored it is not sent again: it fails in doubt, and the read-back finds it', async (ctx) => {
        const { fake, client } = await setup(ctx, auth, style);
        // An iCIMS that keeps every POST: a blind retry would store the note twice.
        fake.configure({ dedupe: false });
        fake.fail('addNote', { afterStore: true, reset: true, times: 1 });
        const error = await client.addApplicationNote('APP-12345', 'Interview cancelled', 'key-1').catch((e) => e);
        expect(error).toBeInstanceOf(NetworkError);
        expect((error as NetworkError).inDoubt).toBe(true);
        expect(apiCalls(fake, 'addNote')).toHaveLength(1);
        const notes = await client.readNotes('APP-12345');
        expect(notes.map((n) => n.text)).toEqual(['Interview cancelled']);
        expect(notes[0]!.id).toBe(String(fake.notes[0]!.id));
        expect(fake.notes).toHaveLength(1);
      });

      it('a 201 gives the note id; a refused note (422) is not in doubt', async (ctx) => {
        const { fake, client } = await setup(ctx, auth, style);
        const written = await client.addApplicationNote('APP-12345', 'Interview booked', 'key-2');
        expect(written.noteId).toBe(String(fake.notes[0]!.id));
        fake.fail('addNote', { status: 422, times: 1 });
        const refused = await client.addApplicationNote('APP-12345', 'x', 'key-3').catch((e) => e);
        expect(refused).toMatchObject({ statusCode: 422, inDoubt: false });
      });

      it('a 429 with Retry-After in seconds is waited out, then the call succeeds', async (ctx) => {
        const { fake, client } = await setup(ctx, auth, style);
        fake.fail('getApplication', { status: 429, headers: { 'retry-after': '1' }, times: 1 });
        await expect(client.getApplication('APP-12345')).resolves.toMatchObject({ id: 'APP-12345' });
        const [first, second] = apiCalls(fake, 'getApplication');
        expect(first?.status).toBe(429);
        expect(second?.status).toBe(200);
        expect((second?.time ?? 0) - (first?.time ?? 0)).toBeGreaterThanOrEqual(1000);
      });

      it('a 429 with Retry-After as an HTTP date is waited out until that date', async (ctx) => {
        const { fake, client } = await setup(ctx, auth, style);
        const until = new Date(Date.now() + 2000).toUTCString();
        fake.fail('getApplication', { status: 429, headers: { 'retry-after': until }, times: 1 });
        await expect(client.getApplication('APP-12345')).resolves.toMatchObject({ id: 'APP-12345' });
        const [, second] = apiCalls(fake, 'getApplication');
        expect(second?.time ?? 0).toBeGreaterThanOrEqual(Date.parse(until));
      });
    });
  }
}
