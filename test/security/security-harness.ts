import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { ApiBody, ConsoleHarness } from '../helpers/console-harness';

/** A console method over HTTP, as the headless UI calls it (JSON, same origin, bearer header). */
export async function rpc(
  harness: ConsoleHarness,
  method: string,
  input: unknown = {},
  options: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: ApiBody }> {
  const token = options.token === undefined ? harness.engine.apiToken : options.token;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await request(`${harness.url}/rpc/${method}`, { method: 'POST', headers, body: JSON.stringify(input) });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? (JSON.parse(text) as ApiBody) : null };
}

/** Signs in as a browser would and returns the session token. */
export async function signIn(
  harness: ConsoleHarness,
  body: { code: string } | { apiToken: string },
  headers: Record<string, string> = {},
): Promise<{ status: number; body: ApiBody; setCookie: unknown }> {
  const res = await request(`${harness.url}/auth/sign-in`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    body: text ? (JSON.parse(text) as ApiBody) : null,
    setCookie: res.headers['set-cookie'],
  };
}

/** The one-time code of a fresh sign-in link (minted on `harness.url`). */
export async function mintCode(harness: ConsoleHarness): Promise<string> {
  const res = await request(`${harness.url}/api/session-links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${harness.engine.apiToken}` },
  });
  const body = (await res.body.json()) as { url: string };
  return new URL(body.url).searchParams.get('code') ?? '';
}

/** Another program on another loopback port that records every request it gets. */
export async function startCaptureServer(): Promise<{
  url: string;
  requests: { path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}> {
  const requests: { path: string; authorization: string | undefined }[] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id":"captured"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
