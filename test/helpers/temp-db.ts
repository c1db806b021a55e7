import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openDatabase } from '../../src/main/engine/sync/database';
import type { Database } from '../../src/main/engine/sync/database';

/** A fresh directory for this test, removed when the test finishes. */
export function tempDir(prefix = 'console-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface TempDb {
  db: Database;
  file: string;
  dir: string;
}

/** A migrated database in its own temp directory; closed and deleted when the test finishes. */
export function openTempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'console-db-'));
  const file = join(dir, 'console.db');
  const db = openDatabase(file);
  onTestFinished(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, file, dir };
}
