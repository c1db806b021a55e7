import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The job a piece of async work belongs to. The worker runs each iCIMS call inside it so the
 * metrics sink can link the calls it records to their job without the client knowing about jobs.
 */
export const jobContext = new AsyncLocalStorage<{ jobId: number }>();
