/**
 * Redaction for the main process's own log lines and crash reports. Two nets, because either alone
 * misses something:
 * - by key: a field whose name says credential (`apiKey`, `client_secret`, `Authorization`, …) is
 *   replaced whatever its value;
 * - by value: the secrets the process knows (from the environment) and anything shaped like an
 *   auth header or a token query parameter are cut out of every string, including error messages
 *   and stacks, where an HTTP library may have echoed a URL or a header.
 */

export const REDACTED = '[redacted]';

const SECRET_KEY = /secret|password|passwd|token|api[-_]?key|authorization|cookie|credential/i;
const AUTH_HEADER_VALUE = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const TOKEN_PARAMETER = /\b(client_secret|access_token|refresh_token|api_key|apikey|password|token)=[^&\s"']+/gi;
/** Shorter "secrets" would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;
const MAX_DEPTH = 6;

export type Redactor = (value: unknown) => unknown;

export function createRedactor(knownSecrets: () => Iterable<string | undefined>): Redactor {
  const redactString = (text: string): string => {
    let result = text.replace(AUTH_HEADER_VALUE, `$1 ${REDACTED}`).replace(TOKEN_PARAMETER, `$1=${REDACTED}`);
    for (const secret of knownSecrets()) {
      if (secret && secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join(REDACTED);
    }
    return result;
  };
  const redact = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[nested]';
    if (value instanceof Error) {
      return { name: value.name, message: redactString(value.message), ...(value.stack ? { stack: redactString(value.stack) } : {}) };
    }
    if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = SECRET_KEY.test(key) && item != null ? REDACTED : redact(item, depth + 1);
    return out;
  };
  return (value) => redact(value, 0);
}

/** The environment variables that hold secrets (CONTRACT section 1). */
export const SECRET_ENVIRONMENT_VARIABLES = ['ICIMS_API_KEY', 'ICIMS_CLIENT_SECRET', 'ICIMS_PASSWORD', 'CONSOLE_API_TOKEN'] as const;
