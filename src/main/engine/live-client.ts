import type { Clock } from './clock';
import type { EngineConfig } from './config/engine-config';
import { createIcimsClient } from './icims/create-client';
import type { IcimsClientHandle } from './icims/create-client';
import type { TeamPacer } from './icims/call-pipeline';
import type { ApiCallSink } from './icims/icims-client';
import type { LiveConfig } from './live-config';
import type { Logger } from './logger';
import { credentialFingerprint } from './settings/credential-fingerprint';

export interface LiveIcimsClientDeps {
  /** Records every call the client makes, and says how many were made today (the budget's start). */
  calls: ApiCallSink & { dailyUsed(now: number): number };
  clock: Clock;
  logger: Logger;
  /** The per-install key of the credential fingerprint. */
  fingerprintKey: Buffer;
  /** The circuit breaker changed state or failure count. */
  onBreakerChange: () => void;
  /** Team mode: the account's limits shared by every engine. */
  teamPacer?: TeamPacer;
}

/**
 * Everything the iCIMS client is built from; the client (with its breaker, limiter and token
 * cache) is only rebuilt when this changes. Secrets enter through their hash only.
 */
function clientIdentity(config: EngineConfig, key: Buffer): string {
  return `${credentialFingerprint(config, key)}:${JSON.stringify({ ...config.icims, auth: null })}`;
}

/** Test connection is an admin's check, not a call of the sync: it counts nowhere in the ops numbers. */
const adminCheckSink: ApiCallSink = { record: () => {} };

/**
 * The iCIMS client the engine sends with now. A saved change of what the client is built from
 * (see clientIdentity) replaces it; calls in flight hold the old one, which closes once they
 * have finished. Anything else — the time zone, the simulation toggle — keeps the client, its
 * breaker and a wait iCIMS asked for.
 */
export class LiveIcimsClient {
  private client: IcimsClientHandle;

  constructor(
    live: LiveConfig,
    private readonly deps: LiveIcimsClientDeps,
  ) {
    this.client = this.build(live.current());
    live.onChange(({ config, previous }) => {
      if (clientIdentity(config, deps.fingerprintKey) === clientIdentity(previous, deps.fingerprintKey)) return;
      const old = this.client;
      this.client = this.build(config);
      void old.close();
    });
  }

  current(): IcimsClientHandle {
    return this.client;
  }

  /**
   * A throwaway client for Test connection with settings not saved yet. Its calls are recorded
   * nowhere (the audit trail records the outcome); the caller closes it.
   */
  forTest(config: EngineConfig): IcimsClientHandle {
    const { clock, logger, calls } = this.deps;
    return createIcimsClient(config.icims, {
      sink: adminCheckSink,
      clock,
      logger,
      dailyUsed: calls.dailyUsed(clock.now()),
    });
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private build(config: EngineConfig): IcimsClientHandle {
    const { clock, logger, calls } = this.deps;
    const client = createIcimsClient(config.icims, {
      sink: calls,
      clock,
      logger,
      dailyUsed: calls.dailyUsed(clock.now()),
      // Mock mode demonstrates trouble now and then without looking broken.
      mock: { failureRate: 0.01, rateLimitRate: 0.002 },
      // The team's limits are the iCIMS account's; the simulated iCIMS of mock mode has none.
      ...(this.deps.teamPacer && config.icims.mode === 'real' ? { teamPacer: this.deps.teamPacer } : {}),
    });
    client.breaker.onChange(this.deps.onBreakerChange);
    return client;
  }
}
