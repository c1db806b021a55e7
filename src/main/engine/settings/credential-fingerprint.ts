import { createHmac } from 'node:crypto';
import type { EngineConfig } from '../config/engine-config';

/** Where notes go and with which credentials, as one string. Never stored or logged as such. */
function credentialMaterial(config: EngineConfig): string {
  const { auth, baseUrl, mode } = config.icims;
  const parts: string[] = [mode, baseUrl, auth.method];
  if (auth.method === 'apiKey') parts.push(auth.apiKey?.reveal() ?? '');
  if (auth.method === 'oauth') parts.push(auth.clientId, auth.tokenUrl, auth.clientSecret?.reveal() ?? '');
  if (auth.method === 'basic') parts.push(auth.username, auth.password?.reveal() ?? '');
  return parts.join('\u0000');
}

/**
 * A keyed hash of the credentials, so the pause state can notice changed credentials across
 * restarts without storing them. Keyed (HMAC with a random per-install key kept in the data folder,
 * not in the database): a plain hash of mode + URL + method + secret would let anyone holding a
 * copy of the database test guessed secrets offline.
 */
export function credentialFingerprint(config: EngineConfig, key: Buffer): string {
  return createHmac('sha256', key).update(credentialMaterial(config)).digest('hex');
}

/** Whether two configurations send notes to another place or with other credentials. */
export function credentialsDiffer(a: EngineConfig, b: EngineConfig): boolean {
  return credentialMaterial(a) !== credentialMaterial(b);
}
