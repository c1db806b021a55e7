import type { IcimsApplication } from './icims-client';

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
}

export function segment(value: string): string {
  return encodeURIComponent(value);
}
