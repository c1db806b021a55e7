/**
 * What `npm run bench` runs, from the environment. Defaults are the full run the targets are
 * judged on; BENCH_QUICK=1 is a smoke run of every measurement at small sizes (a minute or so).
 *
 *   BENCH_QUICK=1              small sizes, 1 run each, writes bench/results/quick.json
 *   BENCH_RUNS=n               repetitions of every figure (default 3; quick 1)
 *   BENCH_ONLY=queue,e2e,ingest,ops,team   run only these groups
 *   BENCH_OUT=path             where the JSON goes (default bench/results/latest.json)
 *   BENCH_QUEUE_JOBS           backlog for the queue contenders (100000)
 *   BENCH_SLOW_PEER_JOBS       backlog for liteque (10000)
 *   BENCH_SINGLE_JOBS          backlog for the one-job-per-statement floor (20000)
 *   BENCH_LITEQUE_INDEXED=0    skip the liteque-with-index reference row
 *   BENCH_QUEUE_CONTENDERS     only these queue rows, by key (engine,engine_store,floor,…): for
 *                              comparing engine changes quickly; the full run keeps them all
 *   BENCH_E2E_EVENTS           events written end to end (2000)
 *   BENCH_E2E_RATE_PER_MIN     client and fake rate limit (6000)
 *   BENCH_E2E_LATENCY_MS       fake iCIMS latency per request (20)
 *   BENCH_INGEST_EVENTS        events posted to /api/events (50000)
 *   BENCH_OPS_CALLS / BENCH_OPS_JOBS   seeded api_calls rows / jobs (1000000 / 200000)
 *   BENCH_OPS_SAMPLES          timed calls per ops query (100)
 *   BENCH_TEAM_JOBS            backlog per team (PostgreSQL) contender and run (20000)
 *   BENCH_TEAM_GRAPHILE_CONCURRENCY   graphile-worker's concurrency per process (10)
 *   BENCH_TEAM_PEER_PROCESSES  worker processes for pg-boss and graphile-worker (4)
 *   BENCH_TEAM_CONTENDERS      only these team rows (engine_1,engine_2,engine_4,pgboss,graphile);
 *                              engine_4 always runs (the ratios are taken against it); `none`
 *                              skips the queue rows (the team end-to-end run alone)
 *   BENCH_TEAM_E2E_EVENTS      events the team end-to-end run writes (3 × the rate; quick 1.5 ×);
 *                              0 skips it
 *   BENCH_TEAM_E2E_RATE_PER_MIN   the fake's rate limit and every engine's ICIMS_RATE_LIMIT_PER_MIN (1200)
 *   BENCH_TEAM_E2E_RUNS        repetitions of the team end-to-end run (1: it takes ~2.5 minutes)
 *   BENCH_TEAM_E2E_FAKE_BURST  the fake's bucket size (default: the rate, i.e. the limit holds per
 *                              rolling minute; smaller is an iCIMS that also polices bursts)
 */
export interface BenchConfig {
  quick: boolean;
  runs: number;
  groups: Set<Group>;
  out: string;
  queue: {
    jobs: number;
    slowPeerJobs: number;
    singleStatementJobs: number;
    enqueueBatch: number;
    claimBatch: number;
    concurrency: number;
    litequeIndexed: boolean;
    /** Keys of the queue rows to run; empty = all. */
    contenders: string[];
  };
  e2e: {
    events: number;
    ratePerMin: number;
    latencyMs: number;
    concurrency: number;
    fakeBurst: number;
    ingestBatch: number;
  };
  ingest: { events: number; batch: number };
  ops: { calls: number; jobs: number; applications: number; samples: number };
  team: {
    jobs: number;
    enqueueBatch: number;
    /** Jobs per claim (engine), fetch (pg-boss) and local queue fill (graphile-worker). */
    claimBatch: number;
    /** Worker processes for pg-boss and graphile-worker (the engine runs 1, 2 and 4). */
    peerProcesses: number;
    graphileConcurrency: number;
    /** Keys of the team rows to run; empty = all; ['none'] = no queue rows. */
    contenders: string[];
    /** The team end to end: engine processes (headless) on one database writing to the fake iCIMS. */
    e2e: {
      /** 0 = skipped. */
      events: number;
      engines: number;
      /** The fake's limit (rolling minute: a bucket of this rate and this burst) and every engine's own. */
      ratePerMin: number;
      /** The fake's bucket size; = ratePerMin unless BENCH_TEAM_E2E_FAKE_BURST says otherwise. */
      fakeBurst: number;
      latencyMs: number;
      /** ICIMS_MAX_CONCURRENCY of each engine. */
      concurrency: number;
      ingestBatch: number;
      runs: number;
    };
  };
}

export const GROUPS = ['queue', 'e2e', 'ingest', 'ops', 'team'] as const;
export type Group = (typeof GROUPS)[number];

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number, 0 or more (got "${raw}")`);
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  return value;
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const size = (name: string, full: number, small: number) => positive(env, name, quick ? small : full);
  const only = (env.BENCH_ONLY ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const unknown = only.filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (unknown.length > 0)
    throw new Error(`BENCH_ONLY names unknown groups: ${unknown.join(', ')} (known: ${GROUPS.join(', ')})`);
  const ratePerMin = size('BENCH_E2E_RATE_PER_MIN', 6000, 6000);
  const teamRatePerMin = positive(env, 'BENCH_TEAM_E2E_RATE_PER_MIN', 1200);
  return {
    quick,
    runs: positive(env, 'BENCH_RUNS', quick ? 1 : 3),
    groups: new Set((only.length > 0 ? only : GROUPS) as Group[]),
    out: env.BENCH_OUT ?? (quick ? 'bench/results/quick.json' : 'bench/results/latest.json'),
    queue: {
      jobs: size('BENCH_QUEUE_JOBS', 100_000, 10_000),
      slowPeerJobs: size('BENCH_SLOW_PEER_JOBS', 10_000, 1_000),
      singleStatementJobs: size('BENCH_SINGLE_JOBS', 20_000, 5_000),
      enqueueBatch: 1000,
      claimBatch: 100,
      concurrency: 5,
      litequeIndexed: env.BENCH_LITEQUE_INDEXED !== '0',
      contenders: (env.BENCH_QUEUE_CONTENDERS ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    },
    e2e: {
      events: size('BENCH_E2E_EVENTS', 2000, 300),
      ratePerMin,
      latencyMs: size('BENCH_E2E_LATENCY_MS', 20, 20),
      concurrency: 5,
      // Ten seconds of allowance: a client over the rate for longer gets 429s, one at the rate never does.
      fakeBurst: Math.max(10, Math.round(ratePerMin / 6)),
      ingestBatch: 500,
    },
    ingest: { events: size('BENCH_INGEST_EVENTS', 50_000, 10_000), batch: 500 },
    ops: {
      calls: size('BENCH_OPS_CALLS', 1_000_000, 100_000),
      jobs: size('BENCH_OPS_JOBS', 200_000, 20_000),
      applications: 20_000,
      samples: size('BENCH_OPS_SAMPLES', 100, 30),
    },
    team: {
      jobs: size('BENCH_TEAM_JOBS', 20_000, 2_000),
      enqueueBatch: 1000,
      claimBatch: 100,
      peerProcesses: positive(env, 'BENCH_TEAM_PEER_PROCESSES', 4),
      graphileConcurrency: positive(env, 'BENCH_TEAM_GRAPHILE_CONCURRENCY', 10),
      contenders: (env.BENCH_TEAM_CONTENDERS ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      e2e: {
        // Three minutes' worth: the first minute is the limiter's allowance, the rate is taken over the rest.
        events: wholeNumber(
          env,
          'BENCH_TEAM_E2E_EVENTS',
          quick ? Math.round(teamRatePerMin * 1.5) : teamRatePerMin * 3,
        ),
        engines: 3,
        ratePerMin: teamRatePerMin,
        fakeBurst: positive(env, 'BENCH_TEAM_E2E_FAKE_BURST', teamRatePerMin),
        latencyMs: 20,
        concurrency: 4,
        ingestBatch: 500,
        runs: positive(env, 'BENCH_TEAM_E2E_RUNS', 1),
      },
    },
  };
}
