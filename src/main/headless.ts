import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadEnvironment } from './engine/config/environment-files';
import { createEngine } from './engine/engine';
import type { Engine } from './engine/engine-types';
import { JsonLogger } from './engine/json-logger';
import { TOKEN_VARIABLES } from './engine/host/console-tokens';
import { FileKeySecretStore } from './engine/settings/file-key-secret-store';
import { startLocalServer } from './server/local-server';
import type { LocalServer } from './server/local-server';

/**
 * `npm run headless`: the engine, the local API and the console UI in plain Node — no Electron.
 * Prints where to open the console; exits 0 on SIGTERM/SIGINT after a graceful stop, and
 * non-zero with the configuration's own message when the configuration is invalid.
 */
async function main(): Promise<void> {
  const env = loadEnvironment(process.cwd(), process.env);
  const dataDir = resolve(env.values.CONSOLE_DATA_DIR ?? './data');
  // Warnings and errors as JSON lines on stderr; the full log is in the data folder.
  const logger = new JsonLogger({ file: null, stderr: true, minLevel: 'warn' });

  let engine: Engine;
  try {
    engine = await createEngine({
      dataDir,
      env: env.values,
      secretStore: new FileKeySecretStore(dataDir),
      logger,
      appVersion: packageVersion(),
    });
  } catch (error) {
    console.error(`Cannot start the iCIMS Sync Console: ${(error as Error).message}`);
    process.exit(1);
  }

  await engine.start();
  const staticDir = join(__dirname, '..', 'renderer');
  const hasUi = existsSync(join(staticDir, 'index.html'));
  let server: LocalServer;
  try {
    server = await startLocalServer({ engine, staticDir: hasUi ? staticDir : null, logger });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${engine.http.host}:${engine.http.port}`;
    console.error(
      code === 'EADDRINUSE'
        ? `Cannot start the local API: ${where} is already in use. Stop the other program or set CONSOLE_HTTP_PORT.`
        : `Cannot start the local API on ${where}: ${(error as Error).message}`,
    );
    await engine.stop();
    process.exit(1);
  }

  const tokenWhere = (kind: 'api' | 'ingest') => engine.tokens.file(kind) ?? TOKEN_VARIABLES[kind];
  const snapshot = await engine.api.getSnapshot({});
  const lines = [
    // The sign-in link is the first URL printed: terminals and launchers open the first link they see.
    `iCIMS Sync Console (headless) — ${snapshot.config.mode} mode`,
    hasUi ? `  Console:   ${server.loginUrl()}` : '  Console:   (UI not built: run `npm run build`)',
    hasUi ? '             one-time sign-in link; or open the console and sign in with the API token' : '',
    `  Local API: ${server.url}/api  (API token: ${tokenWhere('api')}; the scheduling system's ingest token: ${tokenWhere('ingest')})`,
    snapshot.config.mode === 'real' ? `  iCIMS:     ${snapshot.config.baseUrl}` : '',
    `  Health:    curl ${server.url}/api/ops/icims`,
    `  Data:      ${dataDir}`,
  ].filter(Boolean);
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    await server.close();
    await engine.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** The version in package.json (out/main/ → the repository root), for diagnostics and the Team card. */
function packageVersion(): string | undefined {
  try {
    const text = readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8');
    return (JSON.parse(text) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

void main();
