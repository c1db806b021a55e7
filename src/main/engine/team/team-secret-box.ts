import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { PoolClient, QueryResultRow } from 'pg';
import type { TeamDatabase } from './pg-connection';

/**
 * Secrets and console tokens the team keeps in PostgreSQL, sealed with SYNC_TEAM_KEY: a database
 * dump, a replica or a read-only role shows ciphertext only. AES-256-GCM with a random 96-bit IV
 * per value; the secret's name is the additional data, so a sealed value copied onto another
 * name (say, an API key row pasted over the ingest token) fails to open instead of being used.
 *
 * Each value records the key id (an HMAC of a fixed label under the key, never the key itself),
 * so an engine started with another team's key says "wrong SYNC_TEAM_KEY" rather than
 * "damaged secret".
 */

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class TeamKeyError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'TeamKeyError';
  }
}

/** Reads SYNC_TEAM_KEY: 32 bytes, base64. The message names the variable, never its value. */
export function parseTeamKey(value: string | undefined): Buffer | null {
  if (value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text))
    throw new TeamKeyError('SYNC_TEAM_KEY must be base64 (for example the output of `openssl rand -base64 32`)');
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32)
    throw new TeamKeyError(
      `SYNC_TEAM_KEY must decode to 32 bytes, it decodes to ${key.length} (create one with \`openssl rand -base64 32\`)`,
    );
  return key;
}

export class TeamSecretBox {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new TeamKeyError('SYNC_TEAM_KEY must decode to 32 bytes');
    this.keyId = createHmac('sha256', key).update('icims-sync-console team key id').digest('hex').slice(0, 16);
  }

  seal(name: string, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${FORMAT}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(name: string, sealed: string, keyId: string = this.keyId): string {
    if (keyId !== this.keyId)
      throw new TeamKeyError(
        `the team secret "${name}" was sealed with another SYNC_TEAM_KEY: every engine and console of a team needs the same key`,
      );
    const [format, data] = sealed.split(':', 2);
    const bytes = Buffer.from(data ?? '', 'base64');
    if (format !== FORMAT || bytes.length < IV_BYTES + TAG_BYTES)
      throw new TeamKeyError(`the team secret "${name}" is not in a format this engine reads`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new TeamKeyError(`the team secret "${name}" cannot be opened: it was altered, or moved from another name`);
    }
  }
}

/**
 * The sealed secrets table. Plaintext exists only in this process, never in a row or a log. Each
 * method takes an optional client, to run inside the caller's transaction.
 */
export class TeamSecrets {
  constructor(
    private readonly db: TeamDatabase,
    private readonly box: TeamSecretBox,
  ) {}

  async put(name: string, value: string, by: string | null = null, client?: PoolClient): Promise<void> {
    await this.run(
      client,
      `INSERT INTO team_secrets (name, sealed, key_id, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE
         SET sealed = excluded.sealed, key_id = excluded.key_id, updated_at = team_now_ms(), updated_by = excluded.updated_by`,
      [name, this.box.seal(name, value), this.box.keyId, by],
    );
  }

  async get(name: string, client?: PoolClient): Promise<string | null> {
    return (await this.getMany([name], client)).get(name) ?? null;
  }

  /** The named secrets that exist, opened; a TeamKeyError if any of them cannot be. */
  async getMany(names: readonly string[], client?: PoolClient): Promise<Map<string, string>> {
    const rows = await this.run<{ name: string; sealed: string; key_id: string }>(
      client,
      'SELECT name, sealed, key_id FROM team_secrets WHERE name = ANY($1::text[])',
      [names],
    );
    return new Map(rows.map((row) => [row.name, this.box.open(row.name, row.sealed, row.key_id)]));
  }

  async remove(name: string, client?: PoolClient): Promise<void> {
    await this.run(client, 'DELETE FROM team_secrets WHERE name = $1', [name]);
  }

  private async run<R extends QueryResultRow>(
    client: PoolClient | undefined,
    text: string,
    values: unknown[],
  ): Promise<R[]> {
    return client ? (await client.query<R>(text, values)).rows : this.db.query<R>(text, values);
  }
}
