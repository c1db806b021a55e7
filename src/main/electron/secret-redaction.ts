import { createRedactor as createTextRedactor } from '../engine/redaction';

export { REDACTED } from '../engine/redaction';

/**
 * Redaction for the main process's own log lines and crash reports, on top of the engine's text
 * redactor (known secret values, auth headers, token parameters — in every string, including
 * error messages and stacks, where an HTTP library may have echoed a URL or a header). It adds one
 * net the text redactor cannot have: a field whose NAME says credential (`apiKey`,
 * `client_secret`, `Authorization`, …) is dropped whatever its value looks like.
 */

const SECRET_KEY = /secret|password|passwd|token|api[-_]?key|authorization|cookie|credential/i;
const MAX_DEPTH = 6;

export type FieldRedactor = (value: unknown) => unknown;

export function createFieldRedactor(knownSecrets: () => readonly (string | undefined)[]): FieldRedactor {
  const redactText = createTextRedactor(() => knownSecrets().filter((secret): secret is string => Boolean(secret)));
  const redact = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[nested]';
    // Stacks are kept (a crash report without one is of little use), redacted like any text.
    if (value instanceof Error)
      return {
        name: value.name,
        message: redactText(value.message),
        ...(value.stack ? { stack: redactText(value.stack) } : {}),
      };
    if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] =
        SECRET_KEY.test(key) && item != null && typeof item !== 'boolean' ? '[redacted]' : redact(item, depth + 1);
    return out;
  };
  return (value) => redact(value, 0);
}

/** The environment variables that hold secrets (docs/INTERFACES.md §1). */
export const SECRET_ENVIRONMENT_VARIABLES = [
  'ICIMS_API_KEY',
  'ICIMS_CLIENT_SECRET',
  'ICIMS_PASSWORD',
  'CONSOLE_API_TOKEN',
] as const;
