import { apiErrorSchema, ConsoleApiError } from '../../../shared/console-api';

type ErrorCode = ConsoleApiError['code'];
const KNOWN_CODES: readonly ErrorCode[] = [
  'invalid_input',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'unavailable',
  'internal',
];

function codeFor(error: string, httpStatus?: number): ErrorCode {
  if ((KNOWN_CODES as readonly string[]).includes(error)) return error as ErrorCode;
  switch (httpStatus) {
    case 400:
    case 413:
      return 'invalid_input';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 502:
    case 503:
    case 504:
      return 'unavailable';
    default:
      return 'internal';
  }
}

/** Re-creates the typed error from an error body of either transport (docs/INTERFACES.md §3). */
export function consoleApiErrorFromBody(body: unknown, httpStatus?: number): ConsoleApiError {
  const parsed = apiErrorSchema.safeParse(body);
  if (!parsed.success) {
    const status = httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`;
    return new ConsoleApiError(
      codeFor('', httpStatus),
      `The console server answered with an unexpected error${status}.`,
    );
  }
  const { error, message, issues } = parsed.data;
  return new ConsoleApiError(codeFor(error, httpStatus), message, issues);
}

/** The request never got an answer: the console server is down or the network between us is. */
export class ServerUnreachableError extends ConsoleApiError {
  constructor() {
    super('unavailable', 'The console server is not reachable; is the console still running?');
  }
}

/** A human sentence for any error a query or mutation may throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ConsoleApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export { ConsoleApiError };
