import { afterEach, describe, expect, it } from 'vitest';
import { makeEvent, startConsole, TEST_API_KEY, TEST_CONSOLE_TOKEN, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const CANDIDATE = 'Zelda Quux-Marlowe';
const INTERVIEWER = 'hiring.lead@acme-example.com';
const STRAY_EMAIL = 'someone.else@elsewhere-example.org';
const CLIENT_SECRET = 'oauth-client-secret-5b9e7f';
const PASSWORD = 'basic-password-c41d2a';
const WEBHOOK_SECRET = 'webhook-secret-path-9f8e7d';
const OAUTH_LIKE = 'eyJhbGciOiJIUzI1NiJ9.payload-token-abc';

describe('diagnostics bundle', () => {
  it('has versions, configuration, ops, issues, log lines and counts, and no secret or personal data by default', async () => {
    harness = await startConsole({
      // Saved secrets of every kind, on top of the API key and console token from the environment.
      savedSettings: { secrets: { clientSecret: CLIENT_SECRET, password: PASSWORD } },
    });
    await harness.engine.api.saveAlertSettings({
      values: {},
      webhookUrl: `https://hooks.example.com/services/${WEBHOOK_SECRET}`,
    });
    // iCIMS refuses a note and echoes the candidate, an address and a token in its error.
    harness.fake.fail('addNote', {
      status: 422,
      times: 1,
      body: {
        errors: [{ errorMessage: `Candidate ${CANDIDATE} (${STRAY_EMAIL}) rejected; access_token=${OAUTH_LIKE}` }],
      },
    });
    const posted = await harness.api('POST', '/api/events', {
      body: makeEvent('booked', { candidateName: CANDIDATE, interviewerEmail: INTERVIEWER }),
    });
    await waitFor(async () => (await harness!.engine.api.getJob({ id: posted.body.jobId })).status === 'failed', {
      what: 'the job to fail',
    });
    const note = (await harness.engine.api.getJob({ id: posted.body.jobId })).noteText;
    expect(note).toContain(INTERVIEWER);

    const res = await harness.api('GET', '/api/diagnostics');
    expect(res.status).toBe(200);
    const bundle = res.body;
    expect(bundle).toMatchObject({
      kind: 'icims-sync-console-diagnostics',
      includesPersonalData: false,
      versions: { node: process.versions.node },
      schema: { counts: { jobsByStatus: { failed: 1 } } },
      configuration: { secretsSaved: { apiKey: true, clientSecret: true, password: true } },
      ops: { syncJobs: { failed: 1 } },
    });
    expect(bundle.schema.version).toBeGreaterThan(0);
    expect(bundle.logTail.length).toBeGreaterThan(0);
    expect(bundle.recentJobs[0].lastError).toContain('[personal data removed]');

    const text = JSON.stringify(bundle);
    for (const planted of [
      TEST_API_KEY,
      TEST_CONSOLE_TOKEN,
      CLIENT_SECRET,
      PASSWORD,
      WEBHOOK_SECRET,
      OAUTH_LIKE,
      CANDIDATE,
      'Zelda',
      INTERVIEWER,
      STRAY_EMAIL,
      note,
    ]) {
      expect(text, `the bundle holds ${planted}`).not.toContain(planted);
    }

    // Asked for, candidate data is there (so the check above can fail); secrets still are not.
    const full = JSON.stringify((await harness.api('GET', '/api/diagnostics?includePersonalData=true')).body);
    expect(full).toContain(CANDIDATE);
    expect(full).toContain(note);
    for (const secret of [TEST_API_KEY, TEST_CONSOLE_TOKEN, CLIENT_SECRET, PASSWORD, WEBHOOK_SECRET, OAUTH_LIKE])
      expect(full).not.toContain(secret);

    expect((await harness.api('GET', '/api/diagnostics?includePersonalData=yes')).status).toBe(400);
    expect((await harness.api('GET', '/api/diagnostics', { token: null })).status).toBe(401);
    const audit = await harness.engine.api.listAudit({ limit: 2 });
    expect(audit.entries.map((e) => [e.action, e.detail])).toEqual([
      ['diagnostics', 'With candidate data (asked for)'],
      ['diagnostics', 'Without candidate data'],
    ]);
  });
});
