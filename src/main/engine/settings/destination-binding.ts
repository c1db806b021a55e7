import { ConsoleApiError } from '../../../shared/console-api';
import type { SecretField } from '../../../shared/settings';
import { SECRET_ENV_NAMES } from '../../../shared/settings';
import type { EngineConfig } from '../config/engine-config';

export const SECRET_OF_METHOD: Record<EngineConfig['icims']['auth']['method'], SecretField> = {
  apiKey: 'apiKey',
  oauth: 'clientSecret',
  basic: 'password',
};

const SECRET_LABEL: Record<SecretField, string> = {
  apiKey: 'API key',
  clientSecret: 'client secret',
  password: 'password',
};

/** Where a secret is sent: the base URL, the auth method and, for OAuth, the token endpoint. */
function destinationChanges(current: EngineConfig, next: EngineConfig): string[] {
  const changes: string[] = [];
  if (current.icims.baseUrl !== next.icims.baseUrl) changes.push('Base URL');
  if (current.icims.auth.method !== next.icims.auth.method) changes.push('Auth method');
  const tokenUrl = (config: EngineConfig) => (config.icims.auth.method === 'oauth' ? config.icims.auth.tokenUrl : '');
  if (tokenUrl(current) !== tokenUrl(next)) changes.push('Token URL');
  return changes;
}

/**
 * A saved secret only ever goes to the destination it was saved for. Without this, anyone who can
 * reach Settings (a signed-in browser tab, a stolen session) could point the console at their own
 * server and press Test connection: the saved key would be sent to them as a bearer header.
 *
 * So a change of destination must come with the secret typed again. A secret from the environment
 * cannot be typed here, so its destination can only change in the environment too. The check runs
 * in every mode: a key that follows a new base URL in mock mode would be sent there the moment the
 * console switches to real mode.
 */
export function assertSecretFollowsDestination(
  current: EngineConfig,
  next: EngineConfig,
  typedSecrets: Partial<Record<SecretField, string | null>>,
): void {
  const changes = destinationChanges(current, next);
  if (changes.length === 0) return;
  const auth = next.icims.auth;
  const secret = auth.method === 'apiKey' ? auth.apiKey : auth.method === 'oauth' ? auth.clientSecret : auth.password;
  if (secret === null) return;
  const field = SECRET_OF_METHOD[auth.method];
  const typed = typedSecrets[field];
  if (typeof typed === 'string' && typed !== '') return;

  const what = changes.join(', ');
  const label = SECRET_LABEL[field];
  if (next.lockedByEnvironment.includes(field)) {
    throw new ConsoleApiError(
      'invalid_input',
      `The ${label} comes from the environment (${SECRET_ENV_NAMES[field]}), so the destination (${what}) can only change there too`,
      [{ path: `secrets.${field}`, message: `is set by environment; change the ${what} in the environment as well` }],
    );
  }
  throw new ConsoleApiError(
    'invalid_input',
    `The destination changed (${what}): re-enter the ${label}. A saved ${label} is only sent where it was saved for.`,
    [{ path: `secrets.${field}`, message: `re-enter the ${label}: the destination changed (${what})` }],
  );
}
