import type { ConnectionTestResult } from '../../../shared/settings';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { IcimsConfig } from '../config/engine-config';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { Redactor } from '../redaction';
import { createRedactor, redactFields } from '../redaction';
import { apiKeyAuth } from './auth/api-key';
import type { AuthProvider } from './auth/auth-provider';
import { staticAuth } from './auth/auth-provider';
import { basicAuth } from './auth/basic';
import { OAuthTokenManager } from './auth/oauth-token-manager';
import { CallPipeline } from './call-pipeline';
import type { CircuitBreakerSnapshot, CircuitListener } from './circuit-breaker';
import { CircuitBreaker } from './circuit-breaker';
import { ConcurrencyGate } from './concurrency-gate';
import { testConnection } from './connection-test';
import type { DailyBudgetSnapshot } from './daily-budget';
import { DailyBudget } from './daily-budget';
import { ConfigError } from './errors';
import type { Transport } from './http-transport';
import { UndiciTransport } from './http-transport';
import type { ApiCallSink, IcimsClient } from './icims-client';
import type { RateLimiterSnapshot } from './rate-limiter';
import type { TeamPacer } from './call-pipeline';
import { RateLimiter } from './rate-limiter';
import { IcimsHttpClient } from './real-client';
import type { RandomSource } from './retry-delays';
import type { MockIcimsOptions, MockNote } from './simulated-icims';
import { SimulatedIcims } from './simulated-icims';
import { applicationsStyle } from './wire-applications';
import { workflowsStyle } from './wire-workflows';

export interface IcimsClientDeps {
  /** Receives every HTTP call (each retry and each token call too). */
  sink: ApiCallSink;
  clock?: Clock;
  logger?: Logger;
  /** Calls already made today (UTC), from the engine's call log, so a restart keeps the budget. */
  dailyUsed?: number;
  /** Jitter source for retry delays; tests pass a constant. */
  random?: RandomSource;
  /** Mock mode only: latency, failure and rate-limit rates, seed. */
  mock?: MockIcimsOptions;
  /** Replaces the HTTP transport (real mode) — for tests of the client above the wire. */
  transport?: Transport;
  /** Team mode: the limits every engine of the team shares (call-pipeline.ts). */
  teamPacer?: TeamPacer;
}

/** The client plus what the dashboard and the Settings screen need from it. */
export interface IcimsClientHandle extends IcimsClient {
  readonly mode: 'mock' | 'real';
  readonly breaker: {
    snapshot(): CircuitBreakerSnapshot;
    /** Closes the circuit by hand (admin "Reset breaker"). */
    reset(): void;
    /** Called on every state or failure-count change; returns an unsubscribe. */
    onChange(listener: CircuitListener): () => void;
  };
  /** The per-UTC-day budget (ICIMS_DAILY_LIMIT): used, limit, when it resets. */
  budget(): DailyBudgetSnapshot;
  /** The client-side pacing, including a pause iCIMS asked for. */
  rateLimit(): RateLimiterSnapshot;
  /** Calls in flight right now. */
  inFlight(): number;
  testConnection(signal?: AbortSignal): Promise<ConnectionTestResult>;
  /** Redacts this client's credentials (and live OAuth tokens) from any text. */
  readonly redact: Redactor;
  /** Mock mode: the notes the simulated iCIMS holds (deduplicated by idempotency key); else null. */
  readonly mockNotes: (() => MockNote[]) | null;
}

function staticSecrets(config: IcimsConfig): string[] {
  const a = config.auth;
  const secret = a.method === 'apiKey' ? a.apiKey : a.method === 'oauth' ? a.clientSecret : a.password;
  return secret ? [secret.reveal()] : [];
}

function realAuth(
  config: IcimsConfig,
  transport: Transport,
  deps: { clock: Clock; sink: ApiCallSink; redact: Redactor; logger: Logger },
): AuthProvider {
  const a = config.auth;
  if (a.method === 'apiKey' && a.apiKey) return apiKeyAuth(a.apiKey);
  if (a.method === 'basic' && a.username && a.password) return basicAuth(a.username, a.password);
  if (a.method === 'oauth' && a.clientId && a.clientSecret && a.tokenUrl) {
    return new OAuthTokenManager({
      tokenUrl: a.tokenUrl,
      clientId: a.clientId,
      clientSecret: a.clientSecret,
      transport,
      ...deps,
    });
  }
  throw new ConfigError(`The credentials for ${a.method} auth are incomplete; see docs/ICIMS_SETUP.md`);
}

/**
 * Builds the iCIMS client for the configuration: the HTTP client in `real` mode, the simulated
 * iCIMS in `mock` mode — both behind the same breaker, limiter, budget and metrics.
 * Throws ConfigError when real mode lacks a base URL, credentials or (workflows) a customer id;
 * resolveConfig reports those earlier with the variable names.
 */
export function createIcimsClient(config: IcimsConfig, deps: IcimsClientDeps): IcimsClientHandle {
  const clock = deps.clock ?? systemClock;
  const real = config.mode === 'real';
  let auth: AuthProvider | null = null;
  const redact = createRedactor(() => [...staticSecrets(config), ...(auth?.liveSecrets() ?? [])]);
  const inner = deps.logger ?? silentLogger;
  const logger: Logger = {
    log: (level, event, fields) => inner.log(level, event, fields ? redactFields(fields, redact) : fields),
  };

  if (real && config.baseUrl === '') throw new ConfigError('ICIMS_BASE_URL is required');
  if (config.apiStyle === 'workflows' && real && !config.customerId)
    throw new ConfigError('ICIMS_CUSTOMER_ID is required for the workflows API style');

  const simulated = real ? null : new SimulatedIcims(clock, deps.mock);
  const transport: Transport =
    simulated ??
    deps.transport ??
    new UndiciTransport({ connections: config.maxConcurrency, timeoutMs: config.timeoutMs });
  auth = real ? realAuth(config, transport, { clock, sink: deps.sink, redact, logger }) : staticAuth('none', null);
  const baseUrl = real ? config.baseUrl.replace(/\/+$/, '') : 'https://mock.icims.invalid';
  const style =
    config.apiStyle === 'workflows'
      ? workflowsStyle(config.customerId ?? '1000', config.notesField)
      : applicationsStyle;

  const breaker = new CircuitBreaker(config.circuitThreshold, config.circuitCooldownMs, clock);
  const budget = new DailyBudget(config.dailyLimit, clock, deps.dailyUsed ?? 0);
  const limiter = new RateLimiter({ perMinute: config.rateLimitPerMin, clock });
  const gate = new ConcurrencyGate(config.maxConcurrency);
  const pipeline = new CallPipeline({
    transport,
    auth,
    limiter,
    gate,
    budget,
    breaker,
    clock,
    sink: deps.sink,
    redact,
    logger,
    ...(deps.teamPacer ? { teamPacer: deps.teamPacer } : {}),
  });
  const client = new IcimsHttpClient({
    pipeline,
    style,
    baseUrl,
    auth,
    clock,
    random: deps.random ?? Math.random,
    retryBaseMs: config.httpRetryBaseMs,
    redact,
    logger,
  });

  breaker.onChange((s) => {
    if (s.state !== 'closed' || s.consecutiveFailures === 0)
      logger.log(s.state === 'open' ? 'warn' : 'info', 'icims.circuit', { ...s });
  });
  const target = real ? new URL(baseUrl).host : 'the simulated iCIMS (mock mode)';
  const providerAuth = auth;

  return {
    mode: config.mode,
    getApplication: (id, options) => client.getApplication(id, options),
    addApplicationNote: (id, note, key, options) => client.addApplicationNote(id, note, key, options),
    readNotes: (id, options) => client.readNotes(id, options),
    close: () => transport.close(),
    breaker: { snapshot: () => breaker.snapshot(), reset: () => breaker.reset(), onChange: (l) => breaker.onChange(l) },
    budget: () => budget.snapshot(),
    rateLimit: () => limiter.snapshot(),
    inFlight: () => gate.inFlight,
    testConnection: (signal) => testConnection({ pipeline, style, baseUrl, auth: providerAuth, clock, target }, signal),
    redact,
    mockNotes: simulated ? () => simulated.notes() : null,
  };
}
