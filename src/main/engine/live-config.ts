import type { EngineConfig } from './config/engine-config';
import { destinationOf } from './sync/destination';

export interface ConfigChange {
  readonly config: EngineConfig;
  readonly previous: EngineConfig;
  /** Other iCIMS credentials or another account (SettingsService decides). */
  readonly credentialsChanged: boolean;
}

/**
 * The configuration the engine runs with now: the environment over saved settings, replaced as a
 * whole when an admin saves Settings. Whoever needs a value holds this object and reads
 * `current()` when it acts, so nothing keeps a stale copy; whoever must react to a change (the
 * iCIMS client, the queue's destination, the worker, the redactor) subscribes with `onChange`.
 *
 * `apply` runs every subscriber synchronously before it returns, so nothing else (a worker pass,
 * a request) sees the engine half-way between two configurations, and the subscribers need no
 * particular order among themselves.
 */
export class LiveConfig {
  private config: EngineConfig;
  private where: string;
  private readonly listeners: ((change: ConfigChange) => void)[] = [];

  constructor(initial: EngineConfig) {
    this.config = initial;
    this.where = destinationOf(initial.icims);
  }

  current(): EngineConfig {
    return this.config;
  }

  /**
   * Where jobs go now (sync/destination.ts). Claims filter on it; jobs made for another
   * destination wait as `held` until it is back.
   */
  destination(): string {
    return this.where;
  }

  /** Runs with `next` from now on, then tells every subscriber. */
  apply(next: EngineConfig, credentialsChanged: boolean): void {
    const previous = this.config;
    this.config = next;
    this.where = destinationOf(next.icims);
    for (const listener of this.listeners) listener({ config: next, previous, credentialsChanged });
  }

  onChange(listener: (change: ConfigChange) => void): void {
    this.listeners.push(listener);
  }
}
