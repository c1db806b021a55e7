import { Menu, nativeImage, Tray } from 'electron';
import type { NativeImage } from 'electron';
import type { ConsoleApiHandlers } from '../../shared/console-api';
import type { HealthStatus, OpsSnapshot } from '../../shared/ops-snapshot';
import type { Logger } from '../engine/logger';
import { statusDotPng } from './status-icon-png';
import type { Rgb } from './status-icon-png';

export type TrayStatus = HealthStatus | 'unknown';

export const TRAY_COLORS: Record<TrayStatus, Rgb> = {
  healthy: [22, 163, 74],
  degraded: [217, 119, 6],
  down: [220, 38, 38],
  unknown: [156, 163, 175],
};

export interface StatusTrayOptions {
  api: Pick<ConsoleApiHandlers, 'getSnapshot' | 'pauseWorker' | 'resumeWorker'>;
  showConsole(): void;
  quit(): void;
  /** Every snapshot the tray fetched (the notifier uses it to see which alerts cleared). */
  onSnapshot?(snapshot: OpsSnapshot): void;
  logger: Logger;
}

/**
 * A tray icon whose colour is the health status, so an ops person sees "down" without opening
 * the console. Refreshed on `ops` pushes; those can arrive in bursts (one per finished job), so
 * refreshes are coalesced: at most one snapshot in flight and at most one queued behind it.
 */
export class StatusTray {
  private readonly tray: Tray;
  private readonly icons = new Map<TrayStatus, NativeImage>();
  private status: TrayStatus = 'unknown';
  private workerPaused = false;
  private inFlight: Promise<void> | null = null;
  private queued = false;

  constructor(private readonly options: StatusTrayOptions) {
    this.tray = new Tray(this.icon('unknown'));
    this.tray.on('click', () => options.showConsole());
    this.render();
  }

  get currentStatus(): TrayStatus {
    return this.status;
  }

  /** Fetches a fresh snapshot and redraws; resolves when the icon shows it. */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.queued = true;
      return this.inFlight;
    }
    this.inFlight = this.load().finally(() => {
      this.inFlight = null;
      if (this.queued) {
        this.queued = false;
        void this.refresh();
      }
    });
    return this.inFlight;
  }

  destroy(): void {
    this.tray.destroy();
  }

  private async load(): Promise<void> {
    try {
      const snapshot = await this.options.api.getSnapshot({});
      this.status = snapshot.status;
      this.workerPaused = snapshot.worker.state === 'paused';
      this.options.onSnapshot?.(snapshot);
    } catch (error) {
      // Not knowing is a state of its own: grey, not the last colour we happened to see.
      this.status = 'unknown';
      this.options.logger.log('warn', 'tray.snapshot_failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    this.render();
  }

  private render(): void {
    if (this.tray.isDestroyed()) return;
    this.tray.setImage(this.icon(this.status));
    this.tray.setToolTip(`iCIMS Sync Console — ${this.status}`);
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show console', click: () => this.options.showConsole() },
        this.workerPaused
          ? { label: 'Resume worker', click: () => this.runWorkerAction('resumeWorker') }
          : { label: 'Pause worker', click: () => this.runWorkerAction('pauseWorker') },
        { type: 'separator' },
        { label: 'Quit', click: () => this.options.quit() },
      ]),
    );
  }

  private runWorkerAction(method: 'pauseWorker' | 'resumeWorker'): void {
    this.options.api[method]({})
      .then(() => this.refresh())
      .catch((error: unknown) => {
        this.options.logger.log('warn', 'tray.worker_action_failed', {
          method,
          error: error instanceof Error ? error.message : String(error),
        });
      });
  }

  private icon(status: TrayStatus): NativeImage {
    let image = this.icons.get(status);
    if (!image) {
      image = nativeImage.createFromBuffer(statusDotPng(16, TRAY_COLORS[status]));
      image.addRepresentation({ scaleFactor: 2, buffer: statusDotPng(32, TRAY_COLORS[status]) });
      this.icons.set(status, image);
    }
    return image;
  }
}
