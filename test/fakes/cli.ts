import type { FakeAuth, FakeFault, FakeRoute } from './fake-icims-types';
import { startFakeIcims } from './fake-icims';

/**
 * `npm run fake-icims`: a fake iCIMS on 127.0.0.1 for manual QA and end-to-end tests.
 *
 *   FAKE_ICIMS_PORT        default 4010
 *   FAKE_ICIMS_HOST        default 127.0.0.1
 *   FAKE_ICIMS_AUTH        apiKey (default) | basic | oauth | none
 *   FAKE_ICIMS_API_KEY     default fake-icims-api-key-0001
 *   FAKE_ICIMS_USERNAME / FAKE_ICIMS_PASSWORD       default fake-user / fake-password
 *   FAKE_ICIMS_CLIENT_ID / FAKE_ICIMS_CLIENT_SECRET default fake-client / fake-client-secret
 *   FAKE_ICIMS_TOKEN_TTL_SEC   OAuth token lifetime, default 3600
 *   FAKE_ICIMS_CUSTOMER_ID     workflows style customer id, default 1000
 *   FAKE_ICIMS_RATE_LIMIT      requests per minute (token bucket), default off
 *   FAKE_ICIMS_LATENCY_MS      added latency, default 0
 *   FAKE_ICIMS_DEDUPE          on (default): a repeated Idempotency-Key stores nothing;
 *                              off: every POST stores a note, like an iCIMS that does not deduplicate
 *   FAKE_ICIMS_NOTES_PAGE_SIZE notes per read-back page, default 20
 *   FAKE_ICIMS_FAULTS          a JSON array of faults as POST /__admin/faults takes them, e.g.
 *                              [{"route":"addNote","afterStore":true,"status":504,"probability":0.05}]
 *                              (afterStore: the note is stored, then the answer fails: status, delayMs
 *                              past the client's timeout, hang, or reset)
 */

const env = process.env;
const mode = env.FAKE_ICIMS_AUTH ?? 'apiKey';
const apiKey = env.FAKE_ICIMS_API_KEY ?? 'fake-icims-api-key-0001';
const username = env.FAKE_ICIMS_USERNAME ?? 'fake-user';
const password = env.FAKE_ICIMS_PASSWORD ?? 'fake-password';
const clientId = env.FAKE_ICIMS_CLIENT_ID ?? 'fake-client';
const clientSecret = env.FAKE_ICIMS_CLIENT_SECRET ?? 'fake-client-secret';
const customerId = env.FAKE_ICIMS_CUSTOMER_ID ?? '1000';

function authFromEnv(): FakeAuth {
  switch (mode) {
    case 'none':
      return { mode: 'none' };
    case 'basic':
      return { mode: 'basic', username, password };
    case 'oauth':
      return { mode: 'oauth', clientId, clientSecret, expiresInSec: Number(env.FAKE_ICIMS_TOKEN_TTL_SEC ?? 3600) };
    case 'apiKey':
      return { mode: 'apiKey', apiKey };
    default:
      console.error(`FAKE_ICIMS_AUTH must be apiKey, basic, oauth or none (got "${mode}")`);
      process.exit(2);
  }
}

function faultsFromEnv(): (FakeFault & { route?: FakeRoute })[] {
  const text = env.FAKE_ICIMS_FAULTS;
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) throw new Error('not an array');
    return parsed as (FakeFault & { route?: FakeRoute })[];
  } catch (error) {
    console.error(`FAKE_ICIMS_FAULTS must be a JSON array of faults (${(error as Error).message})`);
    process.exit(2);
  }
}

function dedupeFromEnv(): boolean {
  const value = env.FAKE_ICIMS_DEDUPE ?? 'on';
  if (value !== 'on' && value !== 'off') {
    console.error(`FAKE_ICIMS_DEDUPE must be on or off (got "${value}")`);
    process.exit(2);
  }
  return value === 'on';
}

async function main(): Promise<void> {
  const perMinute = env.FAKE_ICIMS_RATE_LIMIT ? Number(env.FAKE_ICIMS_RATE_LIMIT) : null;
  const fake = await startFakeIcims({
    host: env.FAKE_ICIMS_HOST ?? '127.0.0.1',
    port: Number(env.FAKE_ICIMS_PORT ?? 4010),
    auth: authFromEnv(),
    customerId,
    rateLimit: perMinute ? { perMinute, burst: Math.max(1, Math.min(10, perMinute)) } : null,
    latencyMs: env.FAKE_ICIMS_LATENCY_MS ? Number(env.FAKE_ICIMS_LATENCY_MS) : undefined,
    dedupe: dedupeFromEnv(),
    ...(env.FAKE_ICIMS_NOTES_PAGE_SIZE ? { notesPageSize: Number(env.FAKE_ICIMS_NOTES_PAGE_SIZE) } : {}),
  });
  for (const { route = '*', ...fault } of faultsFromEnv()) fake.fail(route, fault);
  const lines = [
    `Fake iCIMS listening on ${fake.url} (auth: ${mode}, ${fake.options.dedupe === false ? 'stores every POST' : 'drops a repeated Idempotency-Key'})`,
    '',
    'Point the console at it (.env.local):',
    'ICIMS_MODE=real',
    `ICIMS_BASE_URL=${fake.url}`,
  ];
  if (mode === 'apiKey') lines.push('ICIMS_AUTH=apiKey', `ICIMS_API_KEY=${apiKey}`);
  if (mode === 'basic') lines.push('ICIMS_AUTH=basic', `ICIMS_USERNAME=${username}`, `ICIMS_PASSWORD=${password}`);
  if (mode === 'oauth')
    lines.push(
      'ICIMS_AUTH=oauth',
      `ICIMS_CLIENT_ID=${clientId}`,
      `ICIMS_CLIENT_SECRET=${clientSecret}`,
      `ICIMS_TOKEN_URL=${fake.tokenUrl}`,
    );
  lines.push(
    `# for the workflows style add: ICIMS_API_STYLE=workflows ICIMS_CUSTOMER_ID=${customerId}`,
    '',
    `Admin: GET ${fake.url}/__admin/notes | /__admin/calls, POST /__admin/faults {"route":"addNote","status":503,"times":3}, POST /__admin/reset`,
    `Stored-then-failed answers: POST /__admin/faults {"route":"addNote","afterStore":true,"status":504,"probability":0.05}`,
    'Application ids starting with MISSING answer 404. Ctrl-C stops.',
  );
  console.log(lines.join('\n'));
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Fake iCIMS failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
