/**
 * Redaction of credentials from any text that leaves the engine's memory: error messages (which
 * end up in `last_error`, the ops JSON and the dashboard), log lines and recorded metrics.
 *
 * Two layers, because either alone leaks:
 * - the known secret values (API key, client secret, password, console token, current OAuth
 *   access tokens), replaced wherever they appear, also URL-encoded;
 * - shapes that carry credentials whatever their value: Authorization header values, bearer
 *   tokens, `access_token`/`refresh_token`, `client_secret=`, `password=`, `api_key=` in JSON,
 *   form bodies and query strings — this catches a token we have not seen yet (e.g. one an
 *   error body echoes back from the token endpoint).
 */

export const REDACTED = '[redacted]';

/** Values this short would shred ordinary text; they are still caught by the shape patterns. */
const MIN_LITERAL_LENGTH = 4;

const SHAPES: { pattern: RegExp; replace: (match: string, ...groups: string[]) => string }[] = [
  // Authorization: Bearer xyz / "authorization":"Basic xyz" / authorization=xyz
  {
    pattern: /(\bauthorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|token)\s+)?[^\s"',;}&]+/gi,
    replace: (_m, prefix = '', scheme) => `${prefix}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  },
  { pattern: /\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: (_m, scheme = '') => `${scheme} ${REDACTED}` },
  {
    pattern:
      /((?<![A-Za-z0-9])["']?(?:access_token|refresh_token|id_token|client_secret|password|passwd|api_?key|x-api-key|secret|token)["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"'&,;}]+/gi,
    replace: (_m, prefix = '') => `${prefix}${REDACTED}`,
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type Redactor = (text: string) => string;

/**
 * Builds a redactor. `secrets` may be a function so that values learnt later (a fresh OAuth
 * access token) are covered without rebuilding every holder of the redactor.
 */
export function createRedactor(secrets: readonly string[] | (() => readonly string[])): Redactor {
  const current = typeof secrets === 'function' ? secrets : () => secrets;
  // Every log line goes through here, so the pattern is compiled once per secret list.
  let compiledFor: string | null = null;
  let literalPattern: RegExp | null = null;
  const literals = (): RegExp | null => {
    const list = current();
    const key = list.join('\u0000');
    if (key !== compiledFor) {
      compiledFor = key;
      const values = new Set<string>();
      for (const secret of list) {
        if (!secret || secret.length < MIN_LITERAL_LENGTH) continue;
        values.add(secret);
        values.add(encodeURIComponent(secret));
        values.add(Buffer.from(secret, 'utf8').toString('base64'));
      }
      // Longest first, so a secret that contains another is replaced whole.
      const sorted = [...values].sort((a, b) => b.length - a.length).map(escapeRegExp);
      // Case-insensitive: servers echo credentials upper-cased (or otherwise re-cased) in their errors.
      literalPattern = sorted.length > 0 ? new RegExp(sorted.join('|'), 'gi') : null;
    }
    return literalPattern;
  };
  return (text: string) => {
    let out = String(text);
    const pattern = literals();
    if (pattern) out = out.replace(pattern, REDACTED);
    for (const { pattern: shape, replace } of SHAPES) out = out.replace(shape, replace);
    return out;
  };
}

/** Applies a redactor to every string inside a log record's fields (objects and arrays too). */
export function redactFields(fields: Record<string, unknown>, redact: Redactor): Record<string, unknown> {
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redact(value);
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
    if (value instanceof Error) return redact(value.message);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, depth + 1)]));
  };
  return walk(fields, 0) as Record<string, unknown>;
}
