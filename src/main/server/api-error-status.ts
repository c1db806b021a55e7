import { ConsoleApiError } from '../../shared/console-api';
import type { Logger } from '../engine/logger';
import { HttpError } from './http-responses';

export const STATUS_BY_CODE: Record<ConsoleApiError['code'], number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/**
 * Turns whatever an engine call threw into the HTTP error to answer. Unexpected errors are
 * logged and answered generically: their text may hold paths or internals nobody outside needs.
 */
export function toHttpError(error: unknown, logger: Logger, context: string): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ConsoleApiError)
    return new HttpError(STATUS_BY_CODE[error.code], error.code, error.message, error.issues);
  logger.log('error', 'server.unexpected_error', {
    context,
    error: error instanceof Error ? error.message : String(error),
  });
  return new HttpError(500, 'internal', 'The console hit an unexpected error; see its log for details');
}
