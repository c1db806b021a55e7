import { silentLogger } from '../../src/main/engine/logger';
import { startLocalServer } from '../../src/main/server/local-server';
import type { ChildChannel } from '../child-channel';
import { BENCH_CONSOLE_TOKEN, benchEngine } from '../engine-host';
import { benchDir } from '../temp-dir';

export interface IngestServerResult {
  jobsStored: number;
}

/**
 * The real engine (mock mode, traffic simulation off) behind the real local server, in its own
 * process: sends `ready` with the URL and token, serves until `close`, then reports how many
 * jobs it stored. The scheduling system's side (the POSTs) runs in the bench parent, as it
 * would in another process in production.
 */
export async function ingestServerTask(_params: unknown, channel: ChildChannel): Promise<IngestServerResult> {
  const temp = benchDir('ingest');
  const engine = await benchEngine(temp.dir, { ICIMS_MODE: 'mock' });
  await engine.start();
  const server = await startLocalServer({ engine, staticDir: null, logger: silentLogger });
  try {
    channel.send({ type: 'ready', url: server.url, token: BENCH_CONSOLE_TOKEN });
    await new Promise<void>((resolve) => {
      const off = channel.on((message) => {
        if (message.type === 'close') {
          off();
          resolve();
        }
      });
    });
    const counts = await engine.api.getJobCounts({});
    return { jobsStored: Object.values(counts).reduce((sum, n) => sum + n, 0) };
  } finally {
    await server.close();
    await engine.stop();
    temp.remove();
  }
}
