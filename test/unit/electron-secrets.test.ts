import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BASIC_TEXT_WARNING,
  SafeStorageSecretStore,
  SecretDecryptionError,
  SecretStorageUnavailableError,
} from '../../src/main/electron/safe-storage-secret-store';
import { ConsoleApiError } from '../../src/shared/console-api';
import { safeStorage } from './electron-fake';

vi.mock('electron', () => import('./electron-fake'));

const API_KEY = 'sk-live-4f9d2c7a1b8e6f30';

beforeEach(() => {
  safeStorage.backend = 'gnome_libsecret';
  safeStorage.available = true;
});

describe('SafeStorageSecretStore', () => {
  it('round-trips a secret through safeStorage and stores base64 text, not the secret', () => {
    const store = new SafeStorageSecretStore(undefined, 'linux');
    const stored = store.encrypt(API_KEY);
    expect(stored).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(stored).not.toContain(API_KEY);
    expect(Buffer.from(stored, 'base64').toString('utf8')).not.toContain(API_KEY);
    expect(store.decrypt(stored)).toBe(API_KEY);
    expect(store.decrypt(store.encrypt('pässwörd ✓'))).toBe('pässwörd ✓');
  });

  it('is secure with a real keyring and says nothing', () => {
    const store = new SafeStorageSecretStore(undefined, 'linux');
    expect(store).toMatchObject({ backend: 'gnome_libsecret', secure: true, warning: null });
  });

  it.each(['basic_text', 'unknown'])(
    'on Linux with the %s backend: not secure, and a warning that explains and offers a way out',
    (backend) => {
      safeStorage.backend = backend;
      const store = new SafeStorageSecretStore(undefined, 'linux');
      expect(store.secure).toBe(false);
      expect(store.backend).toBe(backend);
      expect(store.warning).toBe(BASIC_TEXT_WARNING);
      expect(store.warning).toMatch(/keyring/);
      expect(store.warning).toMatch(/only obfuscated/);
      expect(store.warning).toMatch(/in the environment/);
      // Still saves: the admin has been told, and may decide that obfuscation is acceptable.
      expect(store.decrypt(store.encrypt(API_KEY))).toBe(API_KEY);
    },
  );

  it('names the OS backend on macOS and Windows', () => {
    expect(new SafeStorageSecretStore(undefined, 'darwin')).toMatchObject({ backend: 'keychain', secure: true });
    expect(new SafeStorageSecretStore(undefined, 'win32')).toMatchObject({ backend: 'dpapi', secure: true });
  });

  it('refuses to save when encryption is unavailable, and never falls back to plain text', () => {
    safeStorage.available = false;
    const encryptString = vi.spyOn(safeStorage, 'encryptString');
    const store = new SafeStorageSecretStore(undefined, 'darwin');
    expect(store.secure).toBe(false);
    expect(store.warning).toMatch(/cannot save/);
    let thrown: unknown;
    try {
      store.encrypt(API_KEY);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SecretStorageUnavailableError);
    expect(thrown).toBeInstanceOf(ConsoleApiError);
    expect((thrown as ConsoleApiError).toBody()).toEqual({
      error: 'unavailable',
      message: expect.stringMatching(/encryption is not available/),
    });
    expect((thrown as Error).message).not.toContain(API_KEY);
    expect(encryptString).not.toHaveBeenCalled();
    encryptString.mockRestore();
  });

  it('notices when the keyring goes away after start', () => {
    const store = new SafeStorageSecretStore(undefined, 'linux');
    const stored = store.encrypt(API_KEY);
    safeStorage.available = false;
    expect(() => store.encrypt(API_KEY)).toThrow(SecretStorageUnavailableError);
    expect(() => store.decrypt(stored)).toThrow(SecretStorageUnavailableError);
  });

  it('explains a secret that cannot be decrypted here instead of returning garbage', () => {
    const store = new SafeStorageSecretStore(undefined, 'linux');
    expect(() => store.decrypt(Buffer.from('made on another machine').toString('base64'))).toThrow(
      SecretDecryptionError,
    );
    expect(() => store.decrypt('made on another machine')).toThrow(/Enter it again in Settings/);
  });
});
