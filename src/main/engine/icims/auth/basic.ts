import type { Secret } from '../../config/secret';
import type { AuthProvider } from './auth-provider';
import { staticAuth } from './auth-provider';

/** ICIMS_USERNAME / ICIMS_PASSWORD as HTTP Basic auth (RFC 7617, UTF-8). */
export function basicAuth(username: string, password: Secret): AuthProvider {
  const encoded = Buffer.from(`${username}:${password.reveal()}`, 'utf8').toString('base64');
  return staticAuth('basic', `Basic ${encoded}`);
}
