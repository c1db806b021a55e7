import { ConsoleApiError } from '../../../shared/console-api';
import type { JobStatus } from '../../../shared/jobs';

/**
 * Queue errors are ConsoleApiErrors so both transports and the local API map them without a
 * lookup table: not_found → 404, conflict → 409, invalid_input → 400.
 */

export class JobNotFoundError extends ConsoleApiError {
  constructor(readonly jobId: number) {
    super('not_found', `Job ${jobId} does not exist.`);
    this.name = 'JobNotFoundError';
  }
}

export class JobConflictError extends ConsoleApiError {
  constructor(
    readonly jobId: number,
    readonly status: JobStatus,
    readonly action: 'retry' | 'cancel',
  ) {
    super(
      'conflict',
      action === 'retry'
        ? `Job ${jobId} is ${status}; only a failed or waiting pending job can be retried.`
        : `Job ${jobId} is ${status}; only a pending, failed or held job can be cancelled.`,
    );
    this.name = 'JobConflictError';
  }
}

export class InvalidCursorError extends ConsoleApiError {
  constructor() {
    super('invalid_input', 'The cursor is not one this console handed out; start again from the first page.', [
      { path: 'cursor', message: 'is not a valid cursor' },
    ]);
    this.name = 'InvalidCursorError';
  }
}
