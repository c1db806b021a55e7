import { startFakeIcims } from '../../test/fakes/fake-icims';
import type { FakeIcims } from '../../test/fakes/fake-icims';
import type { ChildChannel } from '../child-channel';

export interface FakeIcimsParams {
  apiKey: string;
  latencyMs: number;
  perMinute: number;
  burst: number;
  /**
   * The in-doubt row: an iCIMS that stores every POST (no deduplication, no keys in its
   * read-back), and this share of note POSTs stored and then answered after `lateMs` — past the
   * client's timeout.
   */
  inDoubt?: { rate: number; lateMs: number };
  /** false: store every POST that gets through, so a note sent twice shows as two (the team row). */
  dedupe?: boolean;
  /** Also return every note POST's arrival time (the team row measures its rate from them). */
  arrivals?: boolean;
}

/** What the fake saw of one end-to-end run. */
export interface FakeSummary {
  addNoteCalls: number;
  statuses: Record<string, number>;
  http429: number;
  notesStored: number;
  /** Distinct (application, note text) pairs among the stored notes. */
  distinctNotes: number;
  /** Stored notes whose (application, text) another stored note already has: written twice under different keys. */
  contentDuplicates: number;
  /** 2xx answers beyond the first for one idempotency key: the same note sent again (iCIMS drops the repeat). */
  keyRepeats: number;
  peakConcurrency: number;
  /** Read-backs of in-doubt writes (GET …/notes). */
  readNotesCalls: number;
  /** Note requests per second as they arrived at the fake, first to last. */
  arrivalPerSec: number;
  /** The most requests (any route) that arrived within 60 s of each other: the rolling minute at the fake. */
  busiestMinute: number;
  /** Arrival times (fake's clock, epoch ms, ascending) of the note POSTs that were stored; when asked for. */
  noteArrivals?: number[];
}

/** The most of these times (any order) that lie within one 60 s span starting at one of them. */
export function busiestMinute(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while (sorted[last]! - sorted[first]! >= 60_000) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

export function summarize(fake: FakeIcims, arrivals = false): FakeSummary {
  const posts = fake.callsTo('addNote');
  const statuses: Record<string, number> = {};
  const okPerKey = new Map<string, number>();
  for (const call of posts) {
    const status = String(call.status ?? 'none');
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (call.status !== null && call.status >= 200 && call.status < 300) {
      const key = call.headers['idempotency-key'] ?? `(no key) ${call.body}`;
      okPerKey.set(key, (okPerKey.get(key) ?? 0) + 1);
    }
  }
  const distinct = new Set(fake.notes.map((note) => `${note.applicationId}\u0000${note.content}`));
  const first = posts[0]?.time ?? 0;
  const last = posts[posts.length - 1]?.time ?? 0;
  return {
    addNoteCalls: posts.length,
    statuses,
    http429: fake.calls.filter((call) => call.status === 429).length,
    notesStored: fake.notes.length,
    distinctNotes: distinct.size,
    contentDuplicates: fake.notes.length - distinct.size,
    keyRepeats: [...okPerKey.values()].reduce((sum, n) => sum + (n - 1), 0),
    peakConcurrency: fake.peakConcurrency(),
    readNotesCalls: fake.callsTo('readNotes').length,
    arrivalPerSec: last > first ? ((posts.length - 1) * 1000) / (last - first) : 0,
    busiestMinute: busiestMinute(fake.calls.map((call) => call.time)),
    ...(arrivals
      ? {
          noteArrivals: posts
            .filter((call) => call.status !== null && call.status >= 200 && call.status < 300)
            .map((call) => call.time)
            .sort((a, b) => a - b),
        }
      : {}),
  };
}

/**
 * The fake iCIMS (test/fakes) in its own process, so the engine's process holds the engine only.
 * Sends `ready` with its URL; answers `summary`; `close` ends the task.
 */
export async function fakeIcimsTask(params: FakeIcimsParams, channel: ChildChannel): Promise<FakeSummary> {
  const fake = await startFakeIcims({
    auth: { mode: 'apiKey', apiKey: params.apiKey },
    latencyMs: params.latencyMs,
    rateLimit: { perMinute: params.perMinute, burst: params.burst },
    ...(params.inDoubt ? { dedupe: false, carryKeys: false } : {}),
    ...(params.dedupe === false ? { dedupe: false } : {}),
  });
  if (params.inDoubt)
    fake.fail('addNote', { afterStore: true, delayMs: params.inDoubt.lateMs, probability: params.inDoubt.rate });
  channel.send({ type: 'ready', url: fake.url });
  await new Promise<void>((resolve) => {
    const off = channel.on((message) => {
      if (message.type === 'summary') channel.send({ type: 'summary', summary: summarize(fake) });
      if (message.type === 'close') {
        off();
        resolve();
      }
    });
  });
  const summary = summarize(fake, params.arrivals === true);
  await fake.close();
  return summary;
}
