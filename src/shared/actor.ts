/**
 * Who asked for something: every ConsoleApi call carries one, so the audit trail can say who
 * retried, cancelled or changed settings. The transport that received the call decides it; the
 * engine never trusts an actor that came in a request body.
 */
export interface Actor {
  /**
   * `desktop`: the OS user of the Electron app; `session`: a browser signed in to the headless
   * console; `token`: a script using a bearer token; `system`: the engine itself (tests, timers).
   */
  kind: 'desktop' | 'session' | 'token' | 'system';
  /** What people read in the audit trail: the OS user name, the session's label, the token's name. */
  label: string;
}

export interface CallContext {
  actor: Actor;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', label: 'console' };
