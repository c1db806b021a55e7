import { describe, expect, it } from 'vitest';
import type { PushTopic } from '../../src/shared/console-api';
import { PushHub } from '../../src/main/engine/push-hub';
import { ManualClock } from '../fakes/manual-clock';

/** A hub on a clock that moves only when the test says so, and the topics it has pushed. */
function hubOnManualClock() {
  const clock = new ManualClock();
  const hub = new PushHub(clock, 250, (ms, signal) => clock.sleep(ms, signal));
  const sent: PushTopic[] = [];
  hub.subscribe((event) => sent.push(event.topic));
  return { clock, hub, sent };
}

describe('PushHub', () => {
  it('pushes every topic a change makes stale, at once when nothing was pushed lately', () => {
    const { hub, sent } = hubOnManualClock();
    hub.changed('jobs');
    expect(sent).toEqual(['jobs', 'ops']);
    hub.changed('settings');
    expect(sent).toEqual(['jobs', 'ops', 'settings']);
  });

  it('coalesces a burst into one trailing push per topic, timed by the injected clock', async () => {
    const { clock, hub, sent } = hubOnManualClock();
    hub.changed('jobs');
    sent.length = 0;
    // A busy queue: many changes within the interval.
    for (let i = 0; i < 50; i += 1) hub.changed('jobs');
    hub.changed('audit');
    expect(sent).toEqual([]);

    await clock.advance(249);
    expect(sent).toEqual([]);
    await clock.advance(1);
    expect(sent.sort()).toEqual(['jobs', 'ops']);

    // The trailing push starts a new interval: a change right after it waits again.
    sent.length = 0;
    hub.changed('audit');
    expect(sent).toEqual([]);
    await clock.advance(250);
    expect(sent).toEqual(['ops']);
  });

  it('pushes at once again once the interval has passed on the clock', async () => {
    const { clock, hub, sent } = hubOnManualClock();
    hub.changed('sync');
    await clock.advance(250);
    hub.changed('sync');
    expect(sent).toEqual(['ops', 'ops']);
    expect(clock.pending).toBe(0);
  });

  it('sends nothing after close, not even a trailing push that was waiting', async () => {
    const { clock, hub, sent } = hubOnManualClock();
    hub.changed('alerts');
    hub.changed('alerts');
    hub.close();
    await clock.advance(1_000);
    expect(sent).toEqual(['ops']);
    expect(clock.pending).toBe(0);
  });

  it('keeps pushing to the other listeners when one throws', () => {
    const { hub, sent } = hubOnManualClock();
    const broken: PushTopic[] = [];
    hub.subscribe(() => {
      throw new Error('window closed');
    });
    hub.subscribe((event) => broken.push(event.topic));
    hub.changed('settings');
    expect(sent).toEqual(['settings', 'ops']);
    expect(broken).toEqual(['settings', 'ops']);
  });
});
