import type { Database } from 'better-sqlite3';
import type { EngineConfig } from '../config/engine-config';
import { credentialFingerprint } from '../settings/credential-fingerprint';
import { SettingsRepository } from '../settings/settings-repository';
import type { PauseState } from './sync-worker';

const KEY = 'worker.pause';

interface StoredPause extends PauseState {
  /** Hash of the credentials that were rejected (see credentialFingerprint); never the credentials. */
  credentials: string;
}

/**
 * Keeps the worker's pause across restarts: restarting with the same rejected credentials must
 * not send (and fail) another job. A pause for rejected credentials lifts by itself when the
 * console starts with different ones — changed in the environment while it was stopped.
 */
export class WorkerPauseStore {
  private readonly repo: SettingsRepository;
  private fingerprint = '';

  constructor(
    db: Database,
    private readonly fingerprintKey: Buffer,
  ) {
    this.repo = new SettingsRepository(db);
  }

  rememberCredentials(config: EngineConfig): void {
    this.fingerprint = credentialFingerprint(config, this.fingerprintKey);
  }

  forCredentials(config: EngineConfig): { load(): PauseState | null; save(state: PauseState | null): void } {
    this.rememberCredentials(config);
    return {
      load: () => {
        const raw = this.repo.get(KEY);
        if (!raw) return null;
        const stored = JSON.parse(raw) as StoredPause;
        if (stored.reason === 'auth' && stored.credentials !== this.fingerprint) {
          this.repo.set(KEY, null);
          return null;
        }
        return { reason: stored.reason, message: stored.message, at: stored.at };
      },
      save: (state) => {
        this.repo.set(
          KEY,
          state ? JSON.stringify({ ...state, credentials: this.fingerprint } satisfies StoredPause) : null,
        );
      },
    };
  }
}
