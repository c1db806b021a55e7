import type { Database, Statement } from 'better-sqlite3';

/** The `settings` table: one text value per key (null clears it). */
export class SettingsRepository {
  private readonly select: Statement<[string], { value: string | null }>;
  private readonly upsert: Statement<[string, string]>;
  private readonly remove: Statement<[string]>;

  constructor(private readonly db: Database) {
    this.select = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.upsert = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.remove = db.prepare('DELETE FROM settings WHERE key = ?');
  }

  get(key: string): string | null {
    return this.select.get(key)?.value ?? null;
  }

  set(key: string, value: string | null): void {
    if (value === null) this.remove.run(key);
    else this.upsert.run(key, value);
  }

  transaction(work: () => void): void {
    this.db.transaction(work)();
  }
}
