import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folder and file modes of the data folder (docs/INTERFACES.md §1): only the console's OS user may read them. */
export const DATA_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes the data folder private, also when it already existed with looser modes: `mkdir`'s mode
 * only applies to a folder it creates, and files written by an older version (or by SQLite, which
 * creates `-wal`/`-shm` with the process umask) keep whatever mode they got. Every regular file in
 * the folder and in its `logs` subfolder is narrowed to 0600. On Windows chmod only toggles the
 * read-only bit; the user profile's ACLs do this job there.
 */
export function secureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  chmodSync(dataDir, DATA_DIR_MODE);
  narrowFiles(dataDir);
  const logs = join(dataDir, 'logs');
  if (existsSync(logs)) {
    chmodSync(logs, DATA_DIR_MODE);
    narrowFiles(logs);
  }
}

function narrowFiles(folder: string): void {
  for (const name of readdirSync(folder)) {
    const file = join(folder, name);
    try {
      if (statSync(file).isFile()) chmodSync(file, PRIVATE_FILE_MODE);
    } catch {
      // Gone between readdir and chmod (a -shm file at close): nothing left to protect.
    }
  }
}

/** Writes a file only its owner can read; narrows it first when it already exists. */
export function writePrivateFile(file: string, content: string | Buffer): void {
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  writeFileSync(file, content, { mode: PRIVATE_FILE_MODE });
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** A random per-install key kept in the data folder (0600), created on first use. */
export function loadOrCreateKey(file: string, bytes = 32): Buffer {
  if (existsSync(file)) {
    chmodSync(file, PRIVATE_FILE_MODE);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === bytes) return key;
  }
  const key = randomBytes(bytes);
  writePrivateFile(file, key.toString('base64') + '\n');
  return key;
}
