import { closeSync, openSync, readSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { StoreError } from './store-error';

export type { Database } from 'better-sqlite3';

export interface OpenDatabaseOptions {
  /** A better-sqlite3 binary built for the host's ABI (Electron); omitted in plain Node. */
  nativeBinding?: string;
  /** Opens an existing, fully migrated database for reading only (benchmarks, diagnostics). */
  readonly?: boolean;
  /** How long a statement waits for another connection's write lock. */
  busyTimeoutMs?: number;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';
const KEEP_FILE_ADVICE =
  'The file was left untouched. Move it aside (or restore a backup) and start the console again; it then creates a new, empty database.';

/**
 * Opens (creating if needed) the console's database and brings its schema up to date.
 *
 * Start-up must never destroy data: a file that is not SQLite, is corrupt, or was written by a
 * newer console stops start-up with a StoreError, and nothing is written to it first. That is why
 * the header is checked by hand before SQLite sees the file, and why the schema version is read
 * before WAL mode is switched on (switching rewrites the header).
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  assertLooksLikeSqlite(file);

  let db: Database;
  try {
    db = new BetterSqlite3(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      timeout: options.busyTimeoutMs ?? 5000,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (error) {
    throw new StoreError(`Cannot open the database ${file}: ${describe(error)}. ${KEEP_FILE_ADVICE}`, file, {
      cause: error,
    });
  }

  try {
    const version = readSchemaVersion(db, file);
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        `The database ${file} was written by a newer version of the console (schema ${version}; this version understands up to ${SCHEMA_VERSION}). ` +
          'Install the newer console again, or point CONSOLE_DATA_DIR at another folder. The file was left untouched.',
        file,
      );
    }
    if (options.readonly) {
      if (version < SCHEMA_VERSION) {
        throw new StoreError(
          `The database ${file} has schema ${version} and needs migrating to ${SCHEMA_VERSION}; open it read-write once.`,
          file,
        );
      }
      db.pragma('query_only = ON');
      return db;
    }
    configure(db, file, options.busyTimeoutMs ?? 5000);
    migrate(db, file);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function assertLooksLikeSqlite(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // not there yet: SQLite creates it
  }
  // An empty file is a valid empty database to SQLite.
  if (size === 0) return;
  const header = Buffer.alloc(16);
  let read = 0;
  try {
    const fd = openSync(file, 'r');
    try {
      read = readSync(fd, header, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new StoreError(`Cannot read the database file ${file}: ${describe(error)}.`, file, { cause: error });
  }
  if (size < 100 || read < 16 || header.toString('latin1') !== SQLITE_MAGIC) {
    throw new StoreError(`The file ${file} is not a SQLite database (its header is wrong). ${KEEP_FILE_ADVICE}`, file);
  }
}

function readSchemaVersion(db: Database, file: string): number {
  let objects: number;
  let version: number;
  try {
    // Reading the schema table makes SQLite parse page 1 and the schema: a corrupt header or
    // schema fails here, before anything is written.
    objects = db.prepare<[], number>('SELECT count(*) FROM sqlite_schema').pluck().get() ?? 0;
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    throw new StoreError(
      `The database ${file} is corrupt or unreadable: ${describe(error)}. ${KEEP_FILE_ADVICE}`,
      file,
      { cause: error },
    );
  }
  // Version 0 with tables in it is some other program's database: adding ours would change it.
  if (version === 0 && objects > 0) {
    throw new StoreError(
      `The file ${file} is a SQLite database of another program, not the console's. ${KEEP_FILE_ADVICE}`,
      file,
    );
  }
  return version;
}

function configure(db: Database, file: string, busyTimeoutMs: number): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal')
    throw new StoreError(`The database ${file} could not be switched to WAL mode (got ${String(mode)}).`, file);
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
}

/**
 * Takes the steps this database has not taken yet, all in one transaction: all of them or none.
 *
 * Foreign keys are off while the steps run (the pragma cannot change inside a transaction, so
 * the caller turns them on afterwards). A step that rebuilds a table drops the old one, and with
 * foreign keys on that drop would delete every row referring to it (job_attempts cascades from
 * sync_jobs) — SQLite's documented procedure for changing a table does the same. Before the
 * commit `foreign_key_check` must find nothing, so a step cannot leave a dangling reference.
 */
function migrate(db: Database, file: string): void {
  db.pragma('foreign_keys = OFF');
  const apply = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION)
      throw new StoreError(`The database ${file} was migrated by a newer console while opening.`, file);
    if (current === SCHEMA_VERSION) return;
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const step of MIGRATIONS) {
      if (step.version <= current) continue;
      db.exec(step.sql);
      record.run(step.version, step.name, Date.now());
      db.pragma(`user_version = ${step.version}`);
    }
    const dangling = db.pragma('foreign_key_check') as unknown[];
    if (dangling.length > 0) throw new Error(`${dangling.length} rows would refer to rows that do not exist`);
  });
  try {
    apply.immediate();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`Updating the schema of ${file} failed: ${describe(error)}. Nothing was changed.`, file, {
      cause: error,
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
