/**
 * Encrypts secrets (API key, OAuth client secret, Basic password) before they are written to the
 * settings table. The desktop app implements it with Electron's safeStorage; headless mode with a
 * key file in the data directory. The engine never sees which.
 */
export interface SecretStore {
  /** e.g. `keychain`, `dpapi`, `gnome_libsecret`, `kwallet`, `basic_text`, `file-key`. */
  readonly backend: string;
  /** False when secrets at rest are only obfuscated (Linux `basic_text`: a hard-coded key). */
  readonly secure: boolean;
  /** Shown to the admin on the Settings screen before a secret is saved, or null. */
  readonly warning: string | null;
  encrypt(plain: string): string;
  /** Throws when the ciphertext was made by another machine or key. */
  decrypt(cipher: string): string;
}
