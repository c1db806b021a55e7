import type { Secret } from '../../config/secret';
import type { AuthProvider } from './auth-provider';
import { staticAuth } from './auth-provider';

/** ICIMS_API_KEY, sent as `Authorization: Bearer <key>` (docs/INTERFACES.md §1). */
export function apiKeyAuth(apiKey: Secret): AuthProvider {
  return staticAuth('apiKey', `Bearer ${apiKey.reveal()}`);
}
