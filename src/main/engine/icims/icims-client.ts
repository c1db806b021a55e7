/** The one interface the sync engine talks to; real (HTTP) and mock clients implement it. */

export interface IcimsApplication {
  id: string;
  candidateName: string | null;
  candidateEmail: string | null;
  requisitionId: string | null;
  requisitionTitle: string | null;
  status: string | null;
}

export interface NoteWriteResult {
  /** HTTP status of the successful call (201, or 200 when iCIMS reports an existing entry). */
  statusCode: number;
  /** Milliseconds spent in the operation, in-request retries and waits included. */
  latencyMs: number;
  /** The note's id from the 201 body (`{ id }`), when iCIMS gives one. */
  noteId: string | null;
}

/** One note on an application, as a read-back returns it (docs/INTERFACES.md §5). */
export interface IcimsNote {
  id: string | null;
  text: string;
  /** Epoch ms, when iCIMS says. */
  createdAt: number | null;
  /** The key the note was written with, when iCIMS carries it. */
  idempotencyKey: string | null;
}

/** What a caller says about one operation, besides its arguments. */
export interface CallOptions {
  /** Aborting stops waiting and cancels the request. */
  signal?: AbortSignal;
  /** The sync job the operation is made for: every call it makes is recorded with this id. */
  jobId?: number;
}

export interface IcimsClient {
  /** Throws a typed IcimsError (see errors.ts). */
  getApplication(applicationId: string, options?: CallOptions): Promise<IcimsApplication>;
  /** Throws a typed IcimsError (see errors.ts). The key is sent as header and, where the style allows, in the body. */
  addApplicationNote(
    applicationId: string,
    note: string,
    idempotencyKey: string,
    options?: CallOptions,
  ): Promise<NoteWriteResult>;
  /**
   * Every note the application holds (every page), for the read-back of an in-doubt write.
   * Throws a typed IcimsError (see errors.ts).
   */
  readNotes(applicationId: string, options?: CallOptions): Promise<IcimsNote[]>;
  /** Releases sockets and timers. */
  close(): Promise<void>;
}

export type IcimsOperation = 'getApplication' | 'addApplicationNote' | 'readNotes' | 'token';

/**
 * One HTTP call (each in-request retry is its own call), as the metrics sink receives it.
 * Messages are redacted already.
 */
export interface ApiCallRecord {
  /** Epoch ms when the call started. */
  at: number;
  operation: IcimsOperation;
  statusCode: number | null;
  outcome: 'success' | 'failure';
  latencyMs: number;
  rateLimited: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  applicationId: string | null;
  /** The sync job the call was made for (CallOptions.jobId), else null. */
  jobId: number | null;
}

export interface ApiCallSink {
  record(call: ApiCallRecord): void;
}
