import { describe, expect, it } from 'vitest';
import type { IcimsAuthConfig } from '../../src/main/engine/config/engine-config';
import { Secret } from '../../src/main/engine/config/secret';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { destinationOf, pointQueueAt } from '../../src/main/engine/sync/destination';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { getJobDetail } from '../../src/main/engine/sync/job-detail';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const apiKey = (key: string): IcimsAuthConfig => ({ method: 'apiKey', apiKey: new Secret(key) });

describe('a job destination', () => {
  it('names mode, base URL and account, never a secret, and a rotated key stays the same destination', () => {
    const real = { mode: 'real' as const, baseUrl: 'https://api.icims.com/', customerId: '1234' };
    expect(destinationOf({ ...real, auth: apiKey('first-key-0123456789') })).toBe(
      'https://api.icims.com · customer 1234',
    );
    expect(destinationOf({ ...real, auth: apiKey('second-key-0123456789') })).toBe(
      destinationOf({ ...real, auth: apiKey('first-key-0123456789') }),
    );
    const oauth: IcimsAuthConfig = {
      method: 'oauth',
      clientId: 'client-9',
      clientSecret: new Secret('s3cret-value'),
      tokenUrl: 'https://login/x',
    };
    const named = destinationOf({ ...real, customerId: null, auth: oauth });
    expect(named).toBe('https://api.icims.com · OAuth client client-9');
    expect(named).not.toContain('s3cret');
    expect(destinationOf({ ...real, baseUrl: 'https://api-eu.icims.com', auth: apiKey('k-0123456789') })).not.toBe(
      destinationOf({ ...real, auth: apiKey('k-0123456789') }),
    );
    expect(destinationOf({ ...real, mode: 'mock', auth: apiKey('k-0123456789') })).toBe('mock (simulated iCIMS)');
  });

  it('jobs from before destinations adopt the current one; a switch holds them and switching back releases them', () => {
    const { db } = openTempDb();
    const [old] = enqueueJobs(db, [newJob(1, { runAfter: T0 })], T0).map((r) => r.jobId);
    expect(getJobDetail(db, old!).destination).toBeNull();

    expect(pointQueueAt(db, 'mock (simulated iCIMS)', T0)).toEqual({ held: 0, released: 0 });
    expect(getJobDetail(db, old!)).toMatchObject({ destination: 'mock (simulated iCIMS)', status: 'pending' });

    expect(pointQueueAt(db, 'https://api.icims.com', T0 + 1)).toEqual({ held: 1, released: 0 });
    expect(getJobDetail(db, old!).status).toBe('held');
    // Nothing of another destination is claimed, even if it were pending.
    expect(
      claimJobs(db, { owner: 'w', leaseMs: 1000, now: T0 + 2, limit: 10, destination: 'https://api.icims.com' }),
    ).toEqual([]);

    expect(pointQueueAt(db, 'mock (simulated iCIMS)', T0 + 3)).toEqual({ held: 0, released: 1 });
    const claimed = claimJobs(db, {
      owner: 'w',
      leaseMs: 1000,
      now: T0 + 3,
      limit: 10,
      destination: 'mock (simulated iCIMS)',
    });
    expect(claimed.map((job) => job.id)).toEqual([old]);
  });
});
