import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-responses';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * DNS-rebinding guard: a page on evil.example that resolves its name to 127.0.0.1 reaches this
 * server with `Host: evil.example`. Only the bound address and `localhost` (with or without the
 * port) are answered.
 */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set([boundHost, 'localhost', '127.0.0.1', '[::1]']);
  if (boundHost === '0.0.0.0' || boundHost === '::') names.delete(boundHost);
  const hosts = new Set<string>();
  for (const name of names) {
    const bracketed = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
    hosts.add(bracketed.toLowerCase());
    hosts.add(`${bracketed}:${port}`.toLowerCase());
  }
  return hosts;
}

export function checkHost(req: IncomingMessage, hosts: Set<string>): void {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) {
    throw new HttpError(
      403,
      'forbidden_host',
      `Host "${host.slice(0, 100)}" is not served here; use the console's own address`,
    );
  }
}

export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim() ?? null;
}

/**
 * The request's path and query. `new URL` throws on inputs such as `//[` (an authority with a
 * broken IPv6 literal) and the static files decode `%`-escapes: both are the client's mistake, so
 * they are answered 400 here and never reach the error log as a 500.
 */
export function parseRequestUrl(req: IncomingMessage): URL {
  try {
    const url = new URL(req.url ?? '/', 'http://console.local');
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    throw new HttpError(400, 'invalid_url', 'The request URL is malformed');
  }
}

/**
 * Cross-origin guard for the console's own routes (`/rpc`, `/auth`). A browser says where a
 * request comes from: `Sec-Fetch-Site` (every current browser) and `Origin` (on every POST). A
 * page on another port of this machine is "same-site" but not "same-origin", and is refused here
 * even before it would fail authentication. Scripts (curl, the scheduling system) send neither
 * header and are judged by their token alone.
 */
export function requireSameOrigin(req: IncomingMessage, ownOrigins: Set<string>): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(403, 'cross_origin', 'Requests from other pages or sites are not accepted here');
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins.has(origin.toLowerCase())) {
    throw new HttpError(403, 'cross_origin', 'Requests from other origins are not accepted here');
  }
}

/** Exactly `application/json`, optionally with `; charset=utf-8`: `application/jsonfoo` is not JSON. */
export function requireJsonContentType(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').toLowerCase().replace(/\s+/g, '');
  if (type !== 'application/json' && type !== 'application/json;charset=utf-8') {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json (UTF-8)');
  }
}

/**
 * Reads the body, refusing (413) anything over 1 MiB without buffering it.
 *
 * A refused body is still read to its end and thrown away, never left half-read: the client may
 * reuse the keep-alive connection, and the bytes it had not sent yet would otherwise sit in front
 * of its next request (which then hangs until the server drops the socket). Breaking out of a
 * `for await` over the request would do exactly that, so plain listeners are used. The server's
 * requestTimeout still bounds a client that never stops sending.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.once('error', reject);
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    'payload_too_large',
    `Request body is over ${limit / 1024 / 1024} MiB; send events in smaller batches`,
  );
}

/**
 * The body as JSON. Invalid UTF-8 is refused, never patched with U+FFFD: two different event ids
 * that differ only in their broken bytes would otherwise decode to the same id, and the second
 * event would be answered `duplicate` — silently lost.
 */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  if (body.length === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, 'invalid_utf8', 'Body is not valid UTF-8; send JSON encoded as UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `Body is not valid JSON: ${(error as Error).message}`);
  }
}
