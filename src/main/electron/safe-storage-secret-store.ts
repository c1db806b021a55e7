import { safeStorage } from 'electron';
import type { SafeStorage } from 'electron';
import { ConsoleApiError } from '../../shared/console-api';
import type { SecretStore } from '../engine/settings/secret-store';

/*
 * Both errors are ConsoleApiErrors on purpose: their messages are written for the admin and hold
 * no secret, so when one surfaces through `saveSettings` both transports show it as it is instead
 * of a generic "internal error".
 */

/** Thrown instead of ever writing a secret in plain text. */
export class SecretStorageUnavailableError extends ConsoleApiError {
  readonly retryable = false;
  constructor(message: string) {
    super('unavailable', message);
    this.name = 'SecretStorageUnavailableError';
  }
}

/** A stored secret that this machine/user/keyring cannot decrypt (copied database, new keyring). */
export class SecretDecryptionError extends ConsoleApiError {
  readonly retryable = false;
  constructor(message: string) {
    super('unavailable', message);
    this.name = 'SecretDecryptionError';
  }
}

// The Settings screen adds which variable, for the auth method the admin chose.
const ENVIRONMENT_ALTERNATIVE = 'set the secret in the environment (or .env.local) instead of saving it here';

export const BASIC_TEXT_WARNING =
  'No system keyring was found, so Electron stores secrets with its "basic_text" fallback: they are ' +
  'only obfuscated with a key built into the app, not encrypted, and anyone who can read your user ' +
  'profile can recover them. Run the console in a desktop session with a keyring (GNOME Keyring or ' +
  `KWallet), or ${ENVIRONMENT_ALTERNATIVE}.`;

export const ENCRYPTION_UNAVAILABLE_WARNING =
  'This computer offers no way to encrypt secrets (the system keychain is not available), so the ' +
  `console cannot save them. Make the keychain available and restart, or ${ENVIRONMENT_ALTERNATIVE}.`;

/** Linux backends that mean "no real keyring": `unknown` is also what is reported before `ready`. */
const OBFUSCATING_BACKENDS = new Set(['basic_text', 'unknown']);

/**
 * Secrets at rest, encrypted with the OS keychain through Electron's safeStorage (Keychain on
 * macOS, DPAPI on Windows, libsecret/KWallet on Linux) and stored as base64 text.
 *
 * Construct it after `app.whenReady()`: before that, Linux reports the backend as `unknown` and
 * encryption as unavailable. Its `secure` and `warning` are fixed at construction, which is what
 * the Settings screen shows before the admin saves a secret.
 *
 * Uses the synchronous safeStorage calls because the engine's SecretStore is synchronous; they
 * are deprecated in favour of the async ones but remain supported.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly backend: string;
  readonly secure: boolean;
  readonly warning: string | null;

  constructor(
    private readonly storage: SafeStorage = safeStorage,
    platform: NodeJS.Platform = process.platform,
  ) {
    const available = storage.isEncryptionAvailable();
    this.backend =
      platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : storage.getSelectedStorageBackend();
    const obfuscatedOnly = platform === 'linux' && OBFUSCATING_BACKENDS.has(this.backend);
    this.secure = available && !obfuscatedOnly;
    this.warning = !available ? ENCRYPTION_UNAVAILABLE_WARNING : obfuscatedOnly ? BASIC_TEXT_WARNING : null;
  }

  encrypt(plain: string): string {
    this.requireEncryption('save');
    return this.storage.encryptString(plain).toString('base64');
  }

  decrypt(cipher: string): string {
    this.requireEncryption('read');
    try {
      return this.storage.decryptString(Buffer.from(cipher, 'base64'));
    } catch {
      // safeStorage's own message says nothing useful to an admin; this one says what to do.
      throw new SecretDecryptionError(
        'A saved secret could not be decrypted: it was saved by another user, computer or keyring. Enter it again in Settings.',
      );
    }
  }

  /** Checked at every call: the keyring can disappear (locked, daemon stopped) while we run. */
  private requireEncryption(what: 'save' | 'read'): void {
    if (!this.storage.isEncryptionAvailable()) {
      throw new SecretStorageUnavailableError(
        `Cannot ${what} the secret: encryption is not available on this computer (no system keychain). ` +
          `Nothing was written in plain text; ${ENVIRONMENT_ALTERNATIVE}.`,
      );
    }
  }
}
