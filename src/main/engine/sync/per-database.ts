import type { Database } from 'better-sqlite3';

/**
 * Builds something (prepared statements, transaction functions) once per open database and hands
 * the same object back on every later call. Queue operations are plain functions taking the
 * database, so this is where their statements live; a closed database is collected with its entry.
 */
export function perDatabase<T>(build: (db: Database) => T): (db: Database) => T {
  const built = new WeakMap<Database, T>();
  return (db) => {
    let value = built.get(db);
    if (value === undefined) {
      value = build(db);
      built.set(db, value);
    }
    return value;
  };
}
