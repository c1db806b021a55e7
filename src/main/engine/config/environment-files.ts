import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from '../icims/errors';

/** The files read besides the real environment, strongest first (docs/INTERFACES.md §1). */
export const ENV_FILES = ['.env.local', '.env'] as const;

export interface LoadedEnvironment {
  /** The merged variables: real environment > `.env.local` > `.env`. Empty values are left out. */
  values: Record<string, string>;
  /** Every name that one of the three sources sets to a non-empty value. */
  fromEnvironment: Set<string>;
}

function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    // Never include the content: it holds credentials.
    throw new ConfigError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  const parsed = parseEnv(text);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) if (value !== undefined) out[name] = value;
  return out;
}

/**
 * Reads `.env.local` and `.env` in `cwd` and merges them under the real environment. Nothing is
 * written to `process.env`: the engine receives the merged record explicitly, so two engines in
 * one process (tests) never see each other's configuration. An empty string counts as unset at
 * every level, so `ICIMS_BASE_URL=` in the shell does not hide the value in `.env.local`.
 */
export function loadEnvironment(cwd: string, processEnv: NodeJS.ProcessEnv): LoadedEnvironment {
  const layers = [...ENV_FILES].reverse().map((name) => readEnvFile(join(cwd, name)));
  layers.push(Object.fromEntries(Object.entries(processEnv).filter((e): e is [string, string] => e[1] !== undefined)));
  const values: Record<string, string> = {};
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer)) if (value !== '') values[name] = value;
  }
  return { values, fromEnvironment: new Set(Object.keys(values)) };
}
