import { vi } from 'vitest';
import type { ConsoleApiHandlers } from '../../src/shared/console-api';
import type { OpsSnapshot } from '../../src/shared/ops-snapshot';
import type { SettingsView } from '../../src/shared/settings';
import type { Engine } from '../../src/main/engine/engine-types';
import type { PushEvent } from '../../src/shared/transport';
import type { IssueTransition } from '../../src/main/engine/issues/issue-store';
import { DEFAULT_SETTINGS_VALUES } from '../../src/shared/settings-rules';

/** Contract-valid answers for a fake engine (the real one cannot be wired to Electron here). */
export function sampleSnapshot(overrides: Partial<OpsSnapshot> = {}): OpsSnapshot {
  const now = '2026-01-15T10:30:00.000Z';
  return {
    status: 'healthy',
    lastSuccessfulCall: now,
    lastFailedCall: null,
    metricsLast24h: {
      totalCalls: 10,
      successfulCalls: 10,
      failedCalls: 0,
      avgResponseTimeMs: 120,
      rateLimitHits: 0,
      p95ResponseTimeMs: 200,
      readBackCalls: 0,
      successRate: 1,
      healthFailures: 0,
      dataErrors: 0,
    },
    syncJobs: { pending: 0, processing: 0, completedLast24h: 10, failedLast24h: 0, failed: 0, inDoubt: 0, held: 0 },
    config: {
      mode: 'mock',
      baseUrl: 'https://api.icims.com',
      hasApiKey: true,
      authMethod: 'apiKey',
      apiStyle: 'applications',
    },
    statusReasons: [],
    alerts: [],
    circuit: { state: 'closed', consecutiveFailures: 0, threshold: 5, openedAt: null, nextProbeAt: null },
    worker: {
      state: 'running',
      pausedReason: null,
      pausedAt: null,
      rateLimitedUntil: null,
      holdReason: null,
      inFlight: 0,
    },
    dailyBudget: { limit: 10000, used: 10, usedRatio: 0.001, resetsAt: '2026-01-16T00:00:00.000Z' },
    recent: { windowMinutes: 15, calls: 10, successRate: 1, rateLimitHits: 0, healthFailures: 0, dataErrors: 0 },
    recentFailures: [],
    forecast: {
      budget: { used: 10, limit: 10000, callsPerHour: 10, projectedToday: 140, runsOutAt: null },
      backlog: { jobs: 0, ratePerMin: 100, drainMinutes: 0, drainsAt: now, waitsForBudgetReset: false },
    },
    openIssues: 0,
    generatedAt: now,
    ...overrides,
  };
}

export function sampleSettings(): SettingsView {
  return {
    values: {
      ...DEFAULT_SETTINGS_VALUES,
      mode: 'real',
      baseUrl: 'https://api.icims.com',
      authMethod: 'apiKey',
      simulateTraffic: false,
    },
    secrets: { apiKey: true, clientSecret: false, password: false },
    envLocked: [],
    secretStorage: { backend: 'gnome_libsecret', secure: true, warning: null },
    effectiveAuthMethod: 'apiKey',
  };
}

/** Every method answers something contract-valid; tests replace the ones they look at. */
export function fakeApi(): { [M in keyof ConsoleApiHandlers]: ReturnType<typeof vi.fn> & ConsoleApiHandlers[M] } {
  const ok = { ok: true as const };
  const api = {
    getSnapshot: vi.fn(async () => sampleSnapshot()),
    getLatencySeries: vi.fn(async () => ({
      from: '2026-01-14T10:30:00.000Z',
      to: '2026-01-15T10:30:00.000Z',
      bucketMinutes: 60,
      buckets: [],
    })),
    listJobs: vi.fn(async () => ({ jobs: [], nextCursor: null })),
    getJobCounts: vi.fn(async () => ({ pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 })),
    getJob: vi.fn(async () => {
      throw new Error('not stubbed');
    }),
    retryJob: vi.fn(async () => ok),
    cancelJob: vi.fn(async () => ok),
    retryAllFailed: vi.fn(async () => ({ count: 0 })),
    pauseWorker: vi.fn(async () => ok),
    resumeWorker: vi.fn(async () => ok),
    resetBreaker: vi.fn(async () => ok),
    getSettings: vi.fn(async () => sampleSettings()),
    saveSettings: vi.fn(async () => sampleSettings()),
    testConnection: vi.fn(async () => ({ ok: true, latencyMs: 12, statusCode: 200, message: 'Connected' })),
    getConsoleTokens: vi.fn(async () => ({ tokens: [] })),
    revealConsoleToken: vi.fn(async () => ({
      kind: 'api' as const,
      token: 'x'.repeat(43),
      source: 'generated' as const,
    })),
    rotateConsoleToken: vi.fn(async () => ({
      kind: 'api' as const,
      token: 'y'.repeat(43),
      source: 'generated' as const,
    })),
    listAudit: vi.fn(async () => ({ entries: [], nextCursor: null })),
    listIssues: vi.fn(async () => ({ openCount: 0, issues: [] })),
    resolveIssue: vi.fn(async () => {
      throw new Error('not stubbed');
    }),
    snoozeIssue: vi.fn(async () => {
      throw new Error('not stubbed');
    }),
    getAlertSettings: vi.fn(async () => ({
      values: { silenceMinutes: 0, businessHours: '', pendingAgeMinutes: 180, webhookFormat: 'slack' as const },
      webhookUrlSet: false,
      webhookHost: null,
    })),
    saveAlertSettings: vi.fn(async () => ({
      values: { silenceMinutes: 0, businessHours: '', pendingAgeMinutes: 180, webhookFormat: 'slack' as const },
      webhookUrlSet: false,
      webhookHost: null,
    })),
    testWebhook: vi.fn(async () => ({ ok: true, message: 'sent' })),
    getDiagnostics: vi.fn(async () => ({})),
  };
  return api as never;
}

/** A fake Engine whose push listeners a test can fire. */
export function fakeEngine(api = fakeApi()) {
  const pushListeners = new Set<(event: PushEvent) => void>();
  const issueListeners = new Set<(transition: IssueTransition) => void>();
  const engine = {
    api,
    ingest: vi.fn(),
    apiToken: 'token-not-used-here',
    tokens: {} as Engine['tokens'],
    sessions: {} as Engine['sessions'],
    http: { host: '127.0.0.1', port: 0, tls: null },
    onPush(listener: (event: PushEvent) => void) {
      pushListeners.add(listener);
      return () => pushListeners.delete(listener);
    },
    onIssueTransition(listener: (transition: IssueTransition) => void) {
      issueListeners.add(listener);
      return () => issueListeners.delete(listener);
    },
    audit: { record: vi.fn() },
    checkIssues: vi.fn(async () => []),
    start: vi.fn(async () => {}),
    stop: vi.fn(async () => {}),
  } satisfies Engine;
  return {
    engine,
    api,
    push: (event: PushEvent) => pushListeners.forEach((listener) => listener(event)),
    listenerCounts: () => ({ push: pushListeners.size, issue: issueListeners.size }),
  };
}
