import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/engine/sync/database';
import { SCHEMA_VERSION } from '../../src/main/engine/sync/migrations';
import { StoreError } from '../../src/main/engine/sync/store-error';
import { tempDir } from '../helpers/temp-db';

function openOrError(file: string): unknown {
  try {
    openDatabase(file).close();
    return null;
  } catch (error) {
    return error;
  }
}

describe('openDatabase', () => {
  it('creates every table, records the migrations, and runs in WAL with foreign keys on', () => {
    const file = join(tempDir(), 'console.db');
    const db = openDatabase(file);
    try {
      const tables = db
        .prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toEqual(
        expect.arrayContaining([
          'sync_jobs',
          'job_attempts',
          'job_completion_minutes',
          'api_calls',
          'api_call_minutes',
          'settings',
          'schema_migrations',
        ]),
      );
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(
        Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
      );
      // Foreign keys are enforced: an attempt for a job that does not exist is refused.
      expect(() =>
        db.prepare("INSERT INTO job_attempts (job_id, at, label, outcome) VALUES (999, 0, 'initial', 'success')").run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('opens an existing database again without re-running migrations or losing rows', () => {
    const file = join(tempDir(), 'console.db');
    const first = openDatabase(file);
    first.prepare("INSERT INTO settings (key, value) VALUES ('timezone', 'Europe/Berlin')").run();
    first.close();
    const second = openDatabase(file);
    try {
      expect(second.prepare("SELECT value FROM settings WHERE key = 'timezone'").pluck().get()).toBe('Europe/Berlin');
      expect(second.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(SCHEMA_VERSION);
    } finally {
      second.close();
    }
  });

  it('refuses a file that is not SQLite, names it, and leaves every byte as it was', () => {
    const file = join(tempDir(), 'console.db');
    const garbage = Buffer.from('this is a spreadsheet, not a database\n'.repeat(200));
    writeFileSync(file, garbage);
    const error = openOrError(file);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(file);
    expect((error as StoreError).message).toMatch(/not a SQLite database/);
    expect((error as StoreError).message).toMatch(/left untouched/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('refuses a SQLite header followed by garbage (corrupt) and leaves it untouched', () => {
    const file = join(tempDir(), 'console.db');
    const corrupt = Buffer.alloc(8192, 0xab);
    corrupt.write('SQLite format 3\u0000', 0, 'latin1');
    writeFileSync(file, corrupt);
    const error = openOrError(file);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).file).toBe(file);
    expect(readFileSync(file).equals(corrupt)).toBe(true);
  });

  it('refuses a database written by a newer console, says what to do, and leaves it untouched', () => {
    const file = join(tempDir(), 'console.db');
    const newer = new BetterSqlite3(file);
    newer.exec('CREATE TABLE future_things (id INTEGER PRIMARY KEY)');
    newer.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    newer.close();
    const before = readFileSync(file);

    const error = openOrError(file);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(file);
    expect((error as StoreError).message).toMatch(/newer version of the console/);
    expect((error as StoreError).message).toContain(`schema ${SCHEMA_VERSION + 5}`);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses another program's SQLite database instead of adding tables to it", () => {
    const file = join(tempDir(), 'someone-else.db');
    const other = new BetterSqlite3(file);
    other.exec(
      'CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices (total) VALUES (12.5)',
    );
    other.close();
    const before = readFileSync(file);
    const error = openOrError(file);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/another program/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('says clearly when the path cannot be read as a file', () => {
    const dir = tempDir();
    expect(openOrError(dir)).toBeInstanceOf(StoreError);
  });

  it('opens read-only without writing, and refuses read-only on a database that needs migrating', () => {
    const dir = tempDir();
    const file = join(dir, 'console.db');
    openDatabase(file).close();
    const before = readFileSync(file);
    const readonly = openDatabase(file, { readonly: true });
    expect(() => readonly.prepare("INSERT INTO settings (key, value) VALUES ('a', 'b')").run()).toThrow();
    readonly.close();
    expect(readFileSync(file).equals(before)).toBe(true);

    const old = join(dir, 'old.db');
    new BetterSqlite3(old).close();
    expect(() => openDatabase(old, { readonly: true })).toThrow(StoreError);
  });
});
