import type { CallOptions } from '../icims-client';

/**
 * How a call gets its Authorization header. The pipeline asks for the header right before each
 * call (so a refreshed OAuth token is picked up by retries) and reports a 401 back.
 */
export interface AuthProvider {
  readonly method: 'apiKey' | 'oauth' | 'basic' | 'none';
  /**
   * The Authorization header value, or null to send none. OAuth may fetch a token first; that
   * call is recorded with the job of the options.
   */
  authorization(options?: CallOptions): Promise<string | null>;
  /**
   * iCIMS answered 401 to a call made with `used`. Returns true when a retry with a fresh
   * credential may succeed (OAuth: the token is dropped and the next call fetches a new one).
   */
  rejected(used: string | null): boolean;
  /** Forgets any cached token, so the next call proves the credentials afresh. */
  invalidate(): void;
  /** Credentials learnt at run time (access tokens), for the redactor. */
  liveSecrets(): string[];
}

/** Static credentials: the header never changes, a 401 is final. */
export function staticAuth(method: 'apiKey' | 'basic' | 'none', header: string | null): AuthProvider {
  return {
    method,
    authorization: async () => header,
    rejected: () => false,
    invalidate: () => {},
    // The encoded credential (e.g. base64 of user:password) is a secret of its own.
    liveSecrets: () => (header ? [header.slice(header.indexOf(' ') + 1)] : []),
  };
}
