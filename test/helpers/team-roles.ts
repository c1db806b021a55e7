import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The GRANT block of docs/TEAM_MODE.md "Roles", run as written (minus the database creation,
 * which test clusters do their own way): what each role may do is what the database allows, so
 * the docs are tested, not restated. `password` replaces the block's `'…'` placeholders.
 */
export function documentedGrants(password = 'x'): string {
  const doc = readFileSync(join(__dirname, '../../docs/TEAM_MODE.md'), 'utf8');
  const block = /### Roles[\s\S]*?```sql\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/TEAM_MODE.md has no sql block under "### Roles"');
  return block
    .split('\n')
    .filter((line) => !/^(CREATE ROLE sync_admin|CREATE DATABASE|\\c |ALTER SCHEMA)/.test(line))
    .join('\n')
    .replace(/'…'/g, `'${password}'`);
}

/** The same database as another role (test clusters trust local connections). */
export const asRole = (url: string, role: string): string => url.replace('postgres://postgres@', `postgres://${role}@`);
