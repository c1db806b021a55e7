import type { IcimsApplication, IcimsNote } from './icims-client';

/** A request as a wire style shapes it; the client adds base URL, auth and common headers. */
export interface WireRequest {
  method: 'GET' | 'POST';
  /** Path below the base URL, segments already encoded. */
  path: string;
  body?: string;
}

/** One of the two iCIMS wire formats of docs/INTERFACES.md §5. */
export interface WireStyle {
  readonly name: 'applications' | 'workflows';
  getApplication(applicationId: string): WireRequest;
  addNote(applicationId: string, note: string, idempotencyKey: string): WireRequest;
  /** Lenient: unknown fields are ignored, missing ones become null. */
  parseApplication(body: unknown, requestedId: string): IcimsApplication;
  /** The read-back of an application's notes; `page` is the one a previous page pointed to. */
  readNotes(applicationId: string, page: string | null): WireRequest;
  /** Lenient: entries without text are skipped; `nextPage` is null on the last page. */
  parseNotes(body: unknown): { notes: IcimsNote[]; nextPage: string | null };
}

/** A creation time as iCIMS may write it (ISO text or epoch ms), else null. */
export function parseNoteTime(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** A scalar id as a string, else null. */
export function idText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;
}

/**
 * The page after this one, from `nextPage` (a number or a token) or a `next` link; null when the
 * answer is not paged or this is its last page.
 */
export function nextPageOf(body: Record<string, unknown>): string | null {
  const next = body.nextPage ?? body.next;
  if (typeof next === 'number' && Number.isFinite(next)) return String(next);
  if (typeof next === 'string' && next !== '') {
    // A link: only its page parameter is used, so a read-back never leaves the configured host.
    const fromLink = /[?&]page=([^&]+)/.exec(next);
    return fromLink?.[1] ? decodeURIComponent(fromLink[1]) : /^\w+$/.test(next) ? next : null;
  }
  return null;
}

export function segment(value: string): string {
  return encodeURIComponent(value);
}
