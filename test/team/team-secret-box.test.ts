import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseTeamKey, TeamKeyError, TeamSecretBox, TeamSecrets } from '../../src/main/engine/team/team-secret-box';
import { pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

const teamKey = (): string => randomBytes(32).toString('base64');
const API_KEY = 'icims-api-key-0123456789abcdef';

describe('team secret box', () => {
  it('seals and opens a secret with the team key', () => {
    const box = new TeamSecretBox(parseTeamKey(teamKey())!);
    const sealed = box.seal('icims.apiKey', API_KEY);
    expect(sealed).not.toContain(API_KEY);
    expect(sealed).not.toBe(box.seal('icims.apiKey', API_KEY)); // a fresh IV each time
    expect(box.open('icims.apiKey', sealed)).toBe(API_KEY);
  });

  it('refuses another team key, a value moved to another name, and an altered value', () => {
    const box = new TeamSecretBox(parseTeamKey(teamKey())!);
    const other = new TeamSecretBox(parseTeamKey(teamKey())!);
    const sealed = box.seal('icims.apiKey', API_KEY);
    expect(() => other.open('icims.apiKey', sealed, box.keyId)).toThrow('sealed with another SYNC_TEAM_KEY');
    // Even without the key id, GCM's tag refuses the wrong key.
    expect(() => other.open('icims.apiKey', sealed)).toThrow(TeamKeyError);
    expect(() => box.open('console.ingestToken', sealed)).toThrow('altered, or moved from another name');
    const altered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => box.open('icims.apiKey', altered)).toThrow('cannot be opened');
  });

  it('names SYNC_TEAM_KEY when it is malformed, and never echoes it', () => {
    expect(parseTeamKey(undefined)).toBeNull();
    expect(parseTeamKey('  ')).toBeNull();
    const short = randomBytes(16).toString('base64');
    expect(() => parseTeamKey(short)).toThrow('SYNC_TEAM_KEY must decode to 32 bytes, it decodes to 16');
    try {
      parseTeamKey('not base64 at all!');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^SYNC_TEAM_KEY must be base64/);
      expect((error as Error).message).not.toContain('not base64 at all');
    }
    expect(parseTeamKey(randomBytes(32).toString('base64url'))).toHaveLength(32);
  });
});

describe.skipIf(!pgAvailable)('team secrets in PostgreSQL (real PostgreSQL)', () => {
  const cluster = usePgCluster();

  it('stores only ciphertext; another engine with the same key reads it, one with another key is told why it cannot', async () => {
    const url = await freshTeamDatabase(cluster());
    const key = teamKey();
    const db = await connectTeam(url);
    const secrets = new TeamSecrets(db, new TeamSecretBox(parseTeamKey(key)!));
    await secrets.put('icims.apiKey', API_KEY, 'admin@console-1');

    const rows = await db.query<{ sealed: string }>('SELECT * FROM team_secrets');
    expect(JSON.stringify(rows)).not.toContain(API_KEY);

    const sameTeam = new TeamSecrets(await connectTeam(url), new TeamSecretBox(parseTeamKey(key)!));
    expect(await sameTeam.get('icims.apiKey')).toBe(API_KEY);
    expect(await sameTeam.get('icims.clientSecret')).toBeNull();

    const otherTeam = new TeamSecrets(await connectTeam(url), new TeamSecretBox(parseTeamKey(teamKey())!));
    await expect(otherTeam.get('icims.apiKey')).rejects.toThrow(
      'every engine and console of a team needs the same key',
    );
  });
});
