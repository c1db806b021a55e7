import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const API_TOKEN_FILE = 'api-token';

/**
 * CONSOLE_API_TOKEN when set; otherwise a token generated on first start and kept in a file
 * (mode 0600) in the data folder, so it survives restarts and never has to be printed or logged.
 */
export function loadOrCreateApiToken(
  dataDir: string,
  fromEnvironment: string | null,
): { token: string; file: string | null } {
  if (fromEnvironment) return { token: fromEnvironment, file: null };
  const file = join(dataDir, API_TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, file };
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return { token, file };
}
