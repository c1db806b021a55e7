/** The fake iCIMS server's options and records (see fake-icims.ts). */

export type FakeRoute = 'getApplication' | 'addNote' | 'readNotes' | 'token' | '*';

export type FakeAuth =
  | { mode: 'none' }
  | { mode: 'apiKey'; apiKey: string }
  | { mode: 'basic'; username: string; password: string }
  | { mode: 'oauth'; clientId: string; clientSecret: string; expiresInSec?: number };

export interface FakeApplication {
  id: string;
  candidateName?: string;
  candidateEmail?: string;
  requisitionId?: string;
  requisitionTitle?: string;
  status?: string;
}

/** A scripted fault for one route (or '*'). Applied in order of registration, `times` times. */
export interface FakeFault {
  /** Answer with this status instead of handling the request. */
  status?: number;
  headers?: Record<string, string>;
  /** Response body: a string as is, anything else as JSON. Default: an iCIMS `errors[]` body. */
  body?: unknown;
  /** Wait this long first; alone (no status/hang/reset/malformedJson) it only adds latency. */
  delayMs?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
  /** Destroy the socket without answering (connection reset). */
  reset?: boolean;
  /** Answer `status` (default 200) with a truncated JSON body. */
  malformedJson?: boolean;
  /** Handle the request normally but send the body one byte every `trickleMs` ms (a slow link). */
  trickleMs?: number;
  /** How many requests the fault applies to; default: until cleared. */
  times?: number;
  /** Each matching request is hit with this probability (0–1); default 1. A miss costs no `times`. */
  probability?: number;
  /**
   * Handle the request first (an addNote stores its note), THEN misbehave: `delayMs` answers late
   * (past the client's timeout, say), `hang` never answers, `reset` closes the connection without
   * answering, `status` answers that instead of the 201. What an iCIMS behind a gateway does when
   * the write went through but the answer did not.
   */
  afterStore?: boolean;
}

export interface FakeIcimsOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default: no auth required. */
  auth?: FakeAuth;
  /** The customer id the workflows routes accept. Default `1000`. */
  customerId?: string;
  /** The collection field notes are accepted in (workflows). Default `notes`. */
  notesField?: string;
  /** Known applications, or every id (default). Unknown ids answer 404 with an errors[] body. */
  applications?: 'accept-all' | FakeApplication[];
  /** In accept-all mode, ids starting with this answer 404. Default `MISSING`. */
  missingPrefix?: string;
  /** Added to every request, ms; a number or a uniform range. */
  latencyMs?: number | { min: number; max: number };
  /** Token bucket; when set, every response carries X-RateLimit-* and an empty bucket answers 429. */
  rateLimit?: { perMinute: number; burst?: number } | null;
  /** Path of the OAuth token endpoint on this server. Default `/oauth/token`. */
  tokenPath?: string;
  /**
   * True (default): a repeated Idempotency-Key stores nothing (what the console used to rely
   * on). False: every POST stores a note, like an iCIMS that does not deduplicate.
   */
  dedupe?: boolean;
  /** Notes per page of a read-back (`?page=N`, answered with `nextPage`). Default 20. */
  notesPageSize?: number;
  /** Whether read-back entries carry the idempotency key they were written with. Default true. */
  carryKeys?: boolean;
}

export interface FakeCall {
  method: string;
  path: string;
  route: FakeRoute | 'unknown';
  /** Lower-case names, as received (Authorization included). */
  headers: Record<string, string>;
  body: string;
  /** The status answered; null when the request hung or the connection was reset. */
  status: number | null;
  /** Epoch ms when the request arrived. */
  time: number;
}

export interface FakeNote {
  id: number;
  applicationId: string;
  style: 'applications' | 'workflows';
  content: string;
  noteType: string | null;
  /** workflows: the collection field the note went into. */
  field: string | null;
  idempotencyKey: string | null;
  time: number;
}

export interface FakeTokenRequest {
  clientId: string | null;
  grantType: string | null;
  ok: boolean;
  time: number;
}
