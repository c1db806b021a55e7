import type { ConnectionTestResult } from '../../../shared/settings';
import type { Clock } from '../clock';
import type { AuthProvider } from './auth/auth-provider';
import type { CallPipeline } from './call-pipeline';
import { AuthError, isIcimsError, NotFoundError } from './errors';
import type { WireStyle } from './wire-style';

/** An id no real application has; a 404 for it proves the credentials were accepted. */
export const PROBE_APPLICATION_ID = '0';

export interface ConnectionTestDeps {
  pipeline: CallPipeline;
  style: WireStyle;
  baseUrl: string;
  auth: AuthProvider;
  clock: Clock;
  /** How the target is named in messages ("api.icims.com", "the simulated iCIMS"). */
  target: string;
}

/**
 * "Test connection" on the Settings screen: one call, no retries, not gated by the breaker
 * (the admin must be able to test while it is open). It runs on a throwaway client
 * (LiveIcimsClient.forTest) that refuses it when today's budget is used up, and records it
 * nowhere: an admin's check is not a call of the sync (the audit trail keeps its outcome).
 * OAuth fetches a fresh token first, so the client credentials are really tested.
 */
export async function testConnection(deps: ConnectionTestDeps, signal?: AbortSignal): Promise<ConnectionTestResult> {
  const { pipeline, style, baseUrl, auth, clock, target } = deps;
  const started = clock.now();
  const latency = () => Math.max(0, Math.round(clock.now() - started));
  auth.invalidate();
  try {
    const request = style.getApplication(PROBE_APPLICATION_ID);
    const { response, error } = await pipeline.call(
      {
        operation: 'getApplication',
        applicationId: PROBE_APPLICATION_ID,
        method: request.method,
        url: `${baseUrl}${request.path}`,
        bypassBreaker: true,
      },
      { signal },
    );
    if (!error)
      return {
        ok: true,
        latencyMs: latency(),
        statusCode: response.status,
        message: `Connected to ${target}: credentials accepted (${style.name} API answered ${response.status})`,
      };
    if (error instanceof NotFoundError) {
      return {
        ok: true,
        latencyMs: latency(),
        statusCode: response.status,
        message: `Connected to ${target}: credentials accepted; the probe application "${PROBE_APPLICATION_ID}" does not exist, as expected (iCIMS said: ${error.message})`,
      };
    }
    const prefix =
      error instanceof AuthError ? `${target} refused the credentials` : `${target} answered with an error`;
    return { ok: false, latencyMs: latency(), statusCode: response.status, message: `${prefix}: ${error.message}` };
  } catch (error) {
    if (!isIcimsError(error)) throw error;
    return {
      ok: false,
      latencyMs: null,
      statusCode: error.statusCode,
      message: `Could not connect to ${target}: ${error.message}`,
    };
  }
}
