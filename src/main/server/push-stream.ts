import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PushEvent } from '../../shared/console-api';
import { SECURITY_HEADERS } from './http-responses';

const HEARTBEAT_MS = 20_000;

/**
 * Server-sent events for the headless console: each push is `event: push` with
 * `data: {"topic":"jobs"|"ops"|"settings"}`. A heartbeat comment keeps proxies and idle
 * timeouts from closing a quiet stream; the renderer reads the stream with fetch (it must send its session token as a header, which
 * EventSource cannot) and reconnects by itself.
 */
export class PushStream {
  /** Each open stream and the session (token hash) that opened it; null for the API token. */
  private readonly clients = new Map<ServerResponse, string | null>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  open(req: IncomingMessage, res: ServerResponse, session: string | null): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n: connected\n\n');
    this.clients.set(res, session);
    req.on('close', () => this.clients.delete(res));
  }

  /** A signed-out session stops hearing pushes at once, not at its next reconnect. */
  closeSession(session: string): void {
    for (const [res, owner] of this.clients) {
      if (owner !== session) continue;
      res.end();
      this.clients.delete(res);
    }
  }

  publish(event: PushEvent): void {
    this.write(`event: push\ndata: ${JSON.stringify(event)}\n\n`);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const res of this.clients.keys()) res.write(text);
  }
}
