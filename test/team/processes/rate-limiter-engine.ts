/**
 * One engine process for team-rate-limiter.test.ts: asks the team limiter for calls until the
 * team as a whole has been granted `target`, waiting whenever it is told to, then prints the
 * database times of its own grants as JSON. Usage: tsx rate-limiter-engine.ts <json options>
 */
import { NodeRegistry } from '../../../src/main/engine/team/node-registry';
import { TeamDatabase } from '../../../src/main/engine/team/pg-connection';
import { TeamRateLimiter } from '../../../src/main/engine/team/team-rate-limiter';

interface Options {
  url: string;
  node: string;
  perMinute: number;
  windowMs: number;
  headroomMs: number;
  target: number;
  /** How many engine processes take part: each waits for all before asking (a start barrier). */
  engines: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Options;
  const db = new TeamDatabase({ connectionString: options.url, max: 1 });
  try {
    const limiter = new TeamRateLimiter(db, { ...options, dailyLimit: 1_000_000 });
    const registry = new NodeRegistry(db, {
      name: options.node,
      version: 'test',
      credentialsFrom: 'team',
      worker: true,
    });
    await registry.register();
    for (;;) {
      const nodes = await registry.list();
      if (nodes.length >= options.engines) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const grants: number[] = [];
    for (;;) {
      const granted = await db.query<{ n: number }>('SELECT calls AS n FROM rate_days');
      if ((granted[0]?.n ?? 0) >= options.target) break;
      const answer = await limiter.reserve();
      if (answer.ok) grants.push(answer.at);
      else await new Promise((resolve) => setTimeout(resolve, answer.retryAfterMs));
    }
    process.stdout.write(JSON.stringify(grants));
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
