import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';

/**
 * The team's PostgreSQL connection: a pool for statements, and one dedicated client that only
 * LISTENs (a pooled client would hand its LISTEN to whoever borrows it next, and lose it when the
 * pool recycles the connection).
 *
 * node-postgres opens a fresh connection per borrow, so the pool heals by itself once the server
 * is back. What it does not do is tell anyone the database is away, or LISTEN again: this class
 * keeps a state the console can show ("database unreachable") and reconnects the listener with
 * backoff. NOTIFYs sent while the listener was away are gone, so subscribers get `reconnected`
 * and re-read what they follow (polling is the backstop either way).
 */

export type DatabaseState = 'connecting' | 'up' | 'unreachable';

export interface DatabaseStatus {
  state: DatabaseState;
  /** Redacted: the connection string never appears here. */
  lastError: string | null;
  /** Epoch ms (this machine's clock) when the database was last seen answering. */
  lastUpAt: number | null;
}

export interface TeamDatabaseOptions {
  connectionString: string;
  /** Pool size for statements; the listener is one more connection. */
  max?: number;
  /** First reconnect delay; doubles per failure up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  connectTimeoutMs?: number;
  applicationName?: string;
}

/** A statement failed because the database could not be reached: retry later, nothing is lost. */
export class DatabaseUnreachableError extends Error {
  readonly retryable = true;
  constructor(cause: unknown) {
    super(`database unreachable: ${describeError(cause)}`);
    this.name = 'DatabaseUnreachableError';
  }
}

// SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, crash,
// cannot connect now) mean "the server is away", not "this statement is wrong".
const LOST_CODES = /^(08|57P0[1-4])/;
const LOST_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

export function isConnectionLost(error: unknown): boolean {
  if (error instanceof DatabaseUnreachableError) return true;
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && (LOST_CODES.test(e.code) || LOST_ERRNOS.has(e.code))) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

/** A short message without the connection string (it may carry a password). */
export function describeError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  return (message.replace(/postgres(ql)?:\/\/\S+/gi, 'postgres://…') + code).slice(0, 300);
}

type Notification = { channel: string; payload: string };

export class TeamDatabase extends EventEmitter<{
  state: [DatabaseStatus];
  notification: [Notification];
  reconnected: [];
}> {
  readonly pool: pg.Pool;
  private status: DatabaseStatus = { state: 'connecting', lastError: null, lastUpAt: null };
  private listener: pg.Client | null = null;
  private readonly channels = new Set<string>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: TeamDatabaseOptions) {
    super();
    this.backoffMs = options.backoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 5,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      application_name: options.applicationName ?? 'icims-sync-console',
    });
    // Without a listener an idle client's error (server restart) would crash the process.
    this.pool.on('error', (error) => this.markLost(error));
  }

  get current(): DatabaseStatus {
    return { ...this.status };
  }

  /** Connects the listener; resolves once the database answered, or rejects if it did not. */
  async open(): Promise<void> {
    await this.connectListener();
  }

  async query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    try {
      const result = await this.pool.query<R>(text, values);
      this.markUp();
      return result.rows;
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** Runs `work` in one transaction on one connection; rolls back on any error. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.translate(error);
    }
    let broken = false;
    // Checked out, the client has no pool listener: a server gone between two statements would
    // be an unhandled 'error' (a crash). The next statement fails with it instead.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      this.markUp();
      return result;
    } catch (error) {
      broken ||= isConnectionLost(error);
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      throw this.translate(error);
    } finally {
      client.off('error', onError);
      // A connection that failed mid-transaction must not go back to the pool.
      client.release(broken ? true : undefined);
    }
  }

  /** Follows a NOTIFY channel on the dedicated listener (again after every reconnect). */
  async listen(channel: string): Promise<void> {
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    if (this.listener) await this.listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
  }

  async notify(channel: string, payload = ''): Promise<void> {
    await this.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private translate(error: unknown): unknown {
    if (!isConnectionLost(error)) return error;
    this.markLost(error);
    return error instanceof DatabaseUnreachableError ? error : new DatabaseUnreachableError(error);
  }

  private markUp(): void {
    this.failures = 0;
    const was = this.status.state;
    this.status = { state: 'up', lastError: null, lastUpAt: Date.now() };
    if (was !== 'up') this.emit('state', this.current);
  }

  private markLost(error: unknown): void {
    if (this.closed) return;
    const was = this.status.state;
    this.status = { ...this.status, state: 'unreachable', lastError: describeError(error) };
    if (was !== 'unreachable') this.emit('state', this.current);
    this.scheduleReconnect();
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 5_000,
      application_name: `${this.options.applicationName ?? 'icims-sync-console'} listener`,
    });
    client.on('notification', (message) =>
      this.emit('notification', { channel: message.channel, payload: message.payload ?? '' }),
    );
    const onLost = (error?: unknown): void => {
      if (this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => undefined);
      this.markLost(error ?? new Error('Connection terminated'));
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.markLost(error);
      throw this.translate(error);
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    const hadListener = this.status.lastUpAt !== null;
    this.listener = client;
    this.markUp();
    if (hadListener) this.emit('reconnected');
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** this.failures);
    this.failures++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.closed) return;
      // A failed try calls markLost, which schedules the next one. With the listener still
      // connected, only the pool was hurt: one answered statement proves the way back.
      const attempt = this.listener ? this.query('SELECT 1') : this.connectListener();
      attempt.catch(() => undefined);
    }, delay);
    this.reconnectTimer.unref();
  }
}
