import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { benchConfig } from './bench-config';
import { runChild } from './child-process';
import { e2eSuite } from './e2e/e2e-suite';
import { ingestSuite } from './ingest/ingest-suite';
import { loadNow, machineInfo } from './machine';
import { opsSuite } from './ops/ops-suite';
import { fmt, progress } from './progress';
import { queueSuite } from './queue/queue-suite';
import { renderReport } from './report-table';
import { teamSuite } from './team/team-suite';
import { checkTargets } from './targets';
import type { Sections } from './targets';

/**
 * `npm run bench`: every measurement in its own child process, the queue contenders side by
 * side in rotating rounds; prints the tables to stdout, progress to stderr, and writes the JSON
 * (bench/results/latest.json). See docs/PERFORMANCE.md for the method and the figures' limits.
 */
async function main(): Promise<void> {
  const config = benchConfig();
  const machine = machineInfo();
  const started = Date.now();
  const loadStart = loadNow();
  progress(
    `${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; ${config.runs} run(s) per figure${config.quick ? ' (quick)' : ''}`,
  );

  const sections: Sections & { baselineRssMb?: number } = {};
  const baseline = await runChild<unknown>('baseline', {});
  sections.baselineRssMb = baseline.maxRssMb;
  if (config.groups.has('queue')) sections.queue = await queueSuite(config);
  if (config.groups.has('e2e')) sections.e2e = await e2eSuite(config);
  if (config.groups.has('ingest')) sections.ingest = await ingestSuite(config);
  if (config.groups.has('ops')) sections.ops = await opsSuite(config);
  if (config.groups.has('team')) sections.team = await teamSuite(config);
  if (sections.queue || sections.e2e) {
    sections.memory = {
      peak_rss_mb: Math.max(sections.queue?.engine_peak_rss_mb ?? 0, sections.e2e?.engine_peak_rss_mb ?? 0),
    };
  }

  const loadEnd = loadNow();
  const targets = checkTargets(sections);
  const loadText = `load average ${loadStart.load1} at start, ${loadEnd.load1} at end (1 min)`;
  const results = {
    date: new Date(started).toISOString(),
    durationSec: Math.round((Date.now() - started) / 1000),
    quick: config.quick,
    machine: { ...machine, loadAtStart: loadStart, loadAtEnd: loadEnd },
    node: machine.node,
    config: { ...config, groups: [...config.groups] },
    queue: sections.queue,
    e2e: sections.e2e,
    ingest: sections.ingest,
    ops: sections.ops,
    team: sections.team,
    memory: sections.memory
      ? {
          ...sections.memory,
          queue_engine_peak_rss_mb: sections.queue?.engine_peak_rss_mb,
          e2e_engine_peak_rss_mb: sections.e2e?.engine_peak_rss_mb,
          empty_child_rss_mb: sections.baselineRssMb,
        }
      : undefined,
    targets,
  };
  const out = resolve(config.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderReport(config, machine, sections, targets, loadText));
  progress(`done in ${fmt(results.durationSec)} s; results in ${out}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
