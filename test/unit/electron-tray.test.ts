import { inflateSync } from 'node:zlib';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { statusDotPng } from '../../src/main/electron/status-icon-png';
import { StatusTray, TRAY_COLORS } from '../../src/main/electron/status-tray';
import { silentLogger } from '../../src/main/engine/logger';
import { Tray } from './electron-fake';
import type { FakeMenuItem } from './electron-fake';
import { fakeApi, sampleSnapshot } from './electron-ipc-fixtures';

vi.mock('electron', () => import('./electron-fake'));

/** Decodes the PNG's pixel at (x, y) — enough of a decoder for our own unfiltered RGBA output. */
function pixel(png: Buffer, x: number, y: number): number[] {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const idatLength = png.readUInt32BE(33);
  expect(png.toString('ascii', 37, 41)).toBe('IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  const offset = y * (1 + width * 4) + 1 + x * 4;
  return [...raw.subarray(offset, offset + 4)];
}

function menuLabels(tray: Tray): (string | undefined)[] {
  return (tray.menu?.items ?? []).map((item: FakeMenuItem) => item.label ?? item.type);
}

function clickMenu(tray: Tray, label: string): void {
  const item = tray.menu?.items.find((entry) => entry.label === label);
  if (!item?.click) throw new Error(`no menu item ${label}`);
  item.click();
}

describe('status dot PNG', () => {
  it('is an opaque dot of the given colour on a transparent square', () => {
    const png = statusDotPng(16, [220, 38, 38]);
    expect(png.readUInt32BE(16)).toBe(16);
    expect(png.readUInt32BE(20)).toBe(16);
    expect(pixel(png, 8, 8)).toEqual([220, 38, 38, 255]);
    expect(pixel(png, 0, 0)[3]).toBe(0);
  });
});

describe('status tray', () => {
  let api: ReturnType<typeof fakeApi>;
  let showConsole: ReturnType<typeof vi.fn<() => void>>;
  let quit: ReturnType<typeof vi.fn<() => void>>;

  beforeEach(() => {
    api = fakeApi();
    showConsole = vi.fn<() => void>();
    quit = vi.fn<() => void>();
  });

  const createTray = (onSnapshot?: (snapshot: ReturnType<typeof sampleSnapshot>) => void) => {
    const statusTray = new StatusTray({
      api,
      showConsole,
      quit,
      logger: silentLogger,
      ...(onSnapshot ? { onSnapshot } : {}),
    });
    const tray = Tray.created.at(-1);
    if (!tray) throw new Error('no tray created');
    return { statusTray, tray, iconColour: () => pixel((tray.image as { buffer: Buffer }).buffer, 8, 8).slice(0, 3) };
  };

  it('starts grey, then shows the health colour and names it in the tooltip', async () => {
    const { statusTray, tray, iconColour } = createTray();
    expect(iconColour()).toEqual([...TRAY_COLORS.unknown]);
    expect(tray.toolTip).toBe('iCIMS Sync Console — unknown');
    for (const status of ['down', 'degraded', 'healthy'] as const) {
      api.getSnapshot.mockResolvedValueOnce(sampleSnapshot({ status }));
      await statusTray.refresh();
      expect(iconColour()).toEqual([...TRAY_COLORS[status]]);
      expect(tray.toolTip).toBe(`iCIMS Sync Console — ${status}`);
    }
  });

  it('goes back to grey when the status cannot be read, rather than keeping a stale green', async () => {
    const { statusTray, tray, iconColour } = createTray();
    await statusTray.refresh();
    api.getSnapshot.mockRejectedValueOnce(new Error('database is closed'));
    await statusTray.refresh();
    expect(iconColour()).toEqual([...TRAY_COLORS.unknown]);
    expect(tray.toolTip).toBe('iCIMS Sync Console — unknown');
  });

  it('offers Show console, Pause or Resume worker (whichever applies), and Quit', async () => {
    const { statusTray, tray } = createTray();
    await statusTray.refresh();
    expect(menuLabels(tray)).toEqual(['Show console', 'Pause worker', 'separator', 'Quit']);
    clickMenu(tray, 'Show console');
    expect(showConsole).toHaveBeenCalledTimes(1);

    const paused = sampleSnapshot({
      worker: { ...sampleSnapshot().worker, state: 'paused', pausedReason: 'paused by admin' },
    });
    api.getSnapshot.mockResolvedValue(paused);
    clickMenu(tray, 'Pause worker');
    await vi.waitFor(() => expect(menuLabels(tray)).toContain('Resume worker'));
    expect(api.pauseWorker).toHaveBeenCalledWith({});

    api.getSnapshot.mockResolvedValue(sampleSnapshot());
    clickMenu(tray, 'Resume worker');
    await vi.waitFor(() => expect(menuLabels(tray)).toContain('Pause worker'));
    expect(api.resumeWorker).toHaveBeenCalledWith({});

    clickMenu(tray, 'Quit');
    expect(quit).toHaveBeenCalledTimes(1);
  });

  it('coalesces a burst of refreshes into at most two snapshot reads', async () => {
    const { statusTray } = createTray();
    let release: () => void = () => {};
    api.getSnapshot.mockImplementationOnce(
      () => new Promise((resolve) => (release = () => resolve(sampleSnapshot({ status: 'down' })))),
    );
    const first = statusTray.refresh();
    for (let i = 0; i < 20; i++) void statusTray.refresh();
    release();
    await first;
    await vi.waitFor(() => expect(api.getSnapshot).toHaveBeenCalledTimes(2));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(api.getSnapshot).toHaveBeenCalledTimes(2);
    expect(statusTray.currentStatus).toBe('healthy');
  });

  it('hands every snapshot on (the notifier clears alerts from it)', async () => {
    const seen: string[] = [];
    const { statusTray } = createTray((snapshot) => seen.push(snapshot.status));
    api.getSnapshot.mockResolvedValueOnce(sampleSnapshot({ status: 'degraded' }));
    await statusTray.refresh();
    expect(seen).toEqual(['degraded']);
  });
});
