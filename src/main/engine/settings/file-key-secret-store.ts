import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from './secret-store';

const KEY_FILE = 'secret.key';

/**
 * Headless mode has no OS keychain, so secrets are encrypted (AES-256-GCM) with a random key kept
 * in a separate file (mode 0600) in the data directory. This keeps secrets out of the database
 * file and its backups, but anyone who can read both files can read the secrets: the Settings
 * screen says so, and environment variables remain the better place for production secrets.
 */
export class FileKeySecretStore implements SecretStore {
  readonly backend = 'file-key';
  readonly secure = false;
  readonly warning: string;
  private readonly file: string;
  private loaded: Buffer | null = null;

  constructor(dataDir: string) {
    this.file = join(dataDir, KEY_FILE);
    this.warning =
      `Headless mode keeps saved secrets encrypted with a key file (${this.file}) next to the database. ` +
      'Anyone who can read that folder can read them: on shared machines, prefer setting the secret in the environment.';
  }

  /** Read on first use and created with the first secret saved: a console that never stores one leaves no key file. */
  private key(): Buffer {
    this.loaded ??= existsSync(this.file) ? readKeyFile(this.file) : createKeyFile(this.file);
    return this.loaded;
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  decrypt(text: string): string {
    const [version, iv, tag, body] = text.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined)
      throw new Error('The saved secret is not in a format this console can read');
    const decipher = createDecipheriv('aes-256-gcm', this.key(), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('A saved secret cannot be decrypted with this data folder’s key file; save it again in Settings');
    }
  }
}

function readKeyFile(file: string): Buffer {
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} is not a valid key file (expected 32 bytes, base64)`);
  return key;
}

function createKeyFile(file: string): Buffer {
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
