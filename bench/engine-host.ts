import { join } from 'node:path';
import { createEngine } from '../src/main/engine/engine';
import type { Engine } from '../src/main/engine/engine-types';
import { resolveConfig } from '../src/main/engine/config/resolve-config';
import { silentLogger } from '../src/main/engine/logger';
import { FileKeySecretStore } from '../src/main/engine/settings/file-key-secret-store';
import { SettingsService } from '../src/main/engine/settings/settings-service';
import { openDatabase } from '../src/main/engine/sync/database';

export const BENCH_CONSOLE_TOKEN = 'bench-console-token-0123456789abcdef';

/**
 * The real engine on a data folder, as the headless host builds it. Mock mode's simulated
 * traffic is switched off first (as an admin would in Settings) so it adds no work of its own.
 */
export async function benchEngine(dataDir: string, env: Record<string, string>): Promise<Engine> {
  const db = openDatabase(join(dataDir, 'console.db'));
  try {
    const settings = new SettingsService(db, new FileKeySecretStore(dataDir), {}, silentLogger);
    settings.save({ values: { simulateTraffic: false }, secrets: {} }, resolveConfig({ env: {} }));
  } finally {
    db.close();
  }
  return createEngine({
    dataDir,
    env: { CONSOLE_HTTP_HOST: '127.0.0.1', CONSOLE_HTTP_PORT: '0', CONSOLE_API_TOKEN: BENCH_CONSOLE_TOKEN, ...env },
    secretStore: new FileKeySecretStore(dataDir),
  });
}
