import { createHash, timingSafeEqual } from 'node:crypto';
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

/** Compares digests so neither the token's length nor a common prefix leaks through timing. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim() ?? null;
}

export function requireBearer(req: IncomingMessage, apiToken: string): void {
  const token = bearerToken(req);
  if (token === null || !tokensEqual(token, apiToken)) {
    throw new HttpError(401, 'unauthorized', 'Send Authorization: Bearer <CONSOLE_API_TOKEN>', undefined, {
      'WWW-Authenticate': 'Bearer realm="icims-sync-console"',
    });
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

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `Body is not valid JSON: ${(error as Error).message}`);
  }
}
