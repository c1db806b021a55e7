import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The desktop app's environment: `.env`, then `.env.local` over it, then the real environment over
 * both (CONTRACT section 1: real env wins over the files).
 *
 * Stand-in until the config module's `loadEnvironment` lands: the lead can replace the call in
 * desktop-app.ts with it. Kept deliberately small — node's own dotenv parser, no expansion.
 */
export function loadEnvironmentWithDotenvFiles(workingDirectory: string, realEnv: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return { ...readDotenvFile(join(workingDirectory, '.env')), ...readDotenvFile(join(workingDirectory, '.env.local')), ...realEnv };
}

function readDotenvFile(path: string): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return parseEnv(text);
}
