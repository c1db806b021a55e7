import type { FailureGroupKind } from '../../../shared/failure-groups';

/** A stored `last_error` read back into its parts: `404 Not Found: … (errorCode 7)`. */
export interface FailureCause {
  statusCode: number | null;
  errorCode: string | null;
  /** The message with the application id, long numbers and ids evened out. */
  cause: string;
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/**
 * Two jobs fail "for the same reason" when their messages differ only in what names the job:
 * the application id (replaced wherever it appears), ids, and numbers of three digits or more
 * (request ids, timestamps). The HTTP status stays: it leads the message and is its own part.
 */
export function failureCause(lastError: string | null, applicationId: string): FailureCause {
  const text = (lastError ?? 'No error recorded').trim();
  const status = /^([1-5]\d\d)\b/.exec(text);
  const code = /\(errorCode ([^)]+)\)/.exec(text);
  let cause = applicationId ? text.split(applicationId).join('<application>') : text;
  cause = cause.replace(UUID, '<id>');
  // Keep the leading status code itself; even out the numbers after it.
  const head = status ? status[1]! : '';
  cause = head + cause.slice(head.length).replace(/\d{3,}/g, '#');
  return { statusCode: status ? Number(status[1]) : null, errorCode: code ? code[1]! : null, cause };
}

export interface CauseAdvice {
  meaning: string;
  action: string;
  /** Retrying fails again until something outside the console changes. */
  permanent: boolean;
}

/** What a cause means and what to do about it, for people reading the Jobs screen after a bad morning. */
export function adviceFor(kind: FailureGroupKind, statusCode: number | null, destination: string | null): CauseAdvice {
  if (kind === 'held') {
    return {
      meaning: `Made for ${destination ?? 'another iCIMS'}; the console now points at a different iCIMS, so these notes are not sent.`,
      action: 'Point the console back at that iCIMS (Settings) to send them, or Cancel group to clear them.',
      permanent: false,
    };
  }
  if (statusCode === 404) {
    return {
      meaning:
        'iCIMS has no such application: the id is wrong, or the application was deleted or merged. This does not fix itself.',
      action:
        'Check the application ids in the scheduling system. Cancel group if they are gone for good; retry only after they exist in iCIMS.',
      permanent: true,
    };
  }
  if (statusCode === 401 || statusCode === 403) {
    return {
      meaning: 'iCIMS refused the credentials; the worker paused itself so no other job was spent.',
      action: 'Enter working credentials in Settings and Save (the worker resumes), then Retry group.',
      permanent: true,
    };
  }
  if (statusCode === 429) {
    return {
      meaning: 'iCIMS rate limit: sending waits for the limit to reset, without spending retries.',
      action: 'Nothing, if rare. If it keeps happening, lower the request rate or concurrency in Settings.',
      permanent: false,
    };
  }
  if (statusCode !== null && statusCode >= 400 && statusCode < 500) {
    return {
      meaning: `iCIMS refused the note as invalid (${statusCode}). Sending it again as it is fails the same way.`,
      action: 'Check the wire style and notes field in Settings and the event data; retry after fixing the cause.',
      permanent: true,
    };
  }
  return {
    meaning:
      kind === 'waiting'
        ? 'iCIMS or the network had trouble (server error, timeout, no connection). These jobs are retried on the backoff schedule by themselves.'
        : 'iCIMS or the network had trouble and these jobs ran out of retries.',
    action:
      kind === 'waiting'
        ? 'Usually nothing. Retry group sends them now once iCIMS is back.'
        : 'Once iCIMS answers again (Test connection in Settings), Retry group.',
    permanent: false,
  };
}
