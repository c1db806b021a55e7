import type { Database } from 'better-sqlite3';

/**
 * Which ApiCallRepositories hold unwritten calls for which database. Readers of api calls
 * (snapshot, latency series) take only the database, so they flush through here first.
 */
interface Flushable {
  flush(): void;
}

const buffers = new WeakMap<Database, Set<Flushable>>();

export function registerBuffer(db: Database, buffer: Flushable): void {
  let set = buffers.get(db);
  if (!set) {
    set = new Set();
    buffers.set(db, set);
  }
  set.add(buffer);
}

export function unregisterBuffer(db: Database, buffer: Flushable): void {
  buffers.get(db)?.delete(buffer);
}

/** Writes every buffered api call of this database. */
export function flushApiCalls(db: Database): void {
  const set = buffers.get(db);
  if (set) for (const buffer of set) buffer.flush();
}
