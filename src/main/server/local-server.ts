import type { Engine } from '../engine/engine-types';
import type { Logger } from '../engine/logger';

export interface LocalServerOptions {
  engine: Engine;
  /** Built renderer (out/renderer) to serve at `/`; null serves the API only (desktop app). */
  staticDir: string | null;
  logger: Logger;
}

export interface LocalServer {
  /** `http://host:port` */
  readonly url: string;
  /** One-time URL that signs a browser in to the console UI (sets an HttpOnly cookie). */
  readonly loginUrl: string;
  close(): Promise<void>;
}

/** Local HTTP API (CONTRACT section 3) + /rpc transport + SSE + static UI. Being built by the lead. */
export async function startLocalServer(_options: LocalServerOptions): Promise<LocalServer> {
  throw new Error('startLocalServer is not implemented yet');
}
