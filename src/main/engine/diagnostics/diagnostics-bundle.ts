import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { AlertSettingsView } from '../../../shared/alert-settings';
import type { IssueList } from '../../../shared/issues';
import type { OpsSnapshot } from '../../../shared/ops-snapshot';
import type { SettingsView } from '../../../shared/settings';
import { SCHEMA_VERSION } from '../sync/migrations';
import type { Redactor } from '../redaction';

const LOG_TAIL_BYTES = 128 * 1024;
const LOG_TAIL_LINES = 300;
const RECENT_JOBS = 50;
/** Candidate names are learnt from this many recent jobs to scrub them from free text. */
const NAMES_FROM_JOBS = 5000;

export interface DiagnosticsInput {
  now: number;
  versions: Record<string, string>;
  settings: SettingsView;
  alertSettings: AlertSettingsView;
  http: { host: string; port: number };
  snapshot: OpsSnapshot;
  issues: IssueList;
  logFile: string;
  redact: Redactor;
  includePersonalData: boolean;
}

interface JobRow {
  id: number;
  type: string;
  application_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  note_text: string;
  payload: string;
  created_at: number;
  updated_at: number;
}

export const PERSONAL_DATA_REMOVED = '[personal data removed]';

/**
 * The support bundle: what someone helping from afar needs to understand a console, and nothing
 * that would hurt if the file ended up in a ticket. Secrets never (the redactor runs over the
 * whole text, and configuration carries presence flags only); candidate names, e-mail addresses
 * and note texts only when the admin asks for them — without that, every name and address the
 * recent jobs carry and every e-mail-shaped string is scrubbed from all free text (log lines,
 * error texts).
 */
export function buildDiagnosticsBundle(db: Database, input: DiagnosticsInput): Record<string, unknown> {
  const jobs = db
    .prepare<[number], JobRow>(
      `SELECT id, type, application_id, status, attempts, last_error, note_text, payload, created_at, updated_at
         FROM sync_jobs ORDER BY id DESC LIMIT ?`,
    )
    .all(RECENT_JOBS);
  const bundle = {
    kind: 'icims-sync-console-diagnostics',
    generatedAt: new Date(input.now).toISOString(),
    includesPersonalData: input.includePersonalData,
    versions: input.versions,
    schema: { version: SCHEMA_VERSION, counts: counts(db) },
    configuration: {
      settings: input.settings.values,
      secretsSaved: input.settings.secrets,
      setByEnvironment: input.settings.envLocked,
      secretStorage: input.settings.secretStorage,
      effectiveAuthMethod: input.settings.effectiveAuthMethod,
      alerts: {
        ...input.alertSettings.values,
        webhookUrlSet: input.alertSettings.webhookUrlSet,
        webhookHost: input.alertSettings.webhookHost,
      },
      http: input.http,
    },
    ops: input.snapshot,
    issues: input.issues.issues.filter((issue) => issue.state !== 'resolved'),
    recentJobs: jobs.map((job) => ({
      id: job.id,
      type: job.type,
      applicationId: job.application_id,
      status: job.status,
      attempts: job.attempts,
      lastError: job.last_error,
      createdAt: new Date(job.created_at).toISOString(),
      updatedAt: new Date(job.updated_at).toISOString(),
      ...(input.includePersonalData ? { note: job.note_text, event: safeJson(job.payload) } : {}),
    })),
    logTail: logTail(input.logFile),
  };
  // Every string is cleaned on its own (the redactor's shapes would also eat JSON's own syntax,
  // e.g. `"apiKey": true`); log lines are strings too, so what they quote is cleaned as well.
  const scrub = input.includePersonalData ? (text: string) => text : personalDataScrubber(db);
  return mapStrings(bundle, (text) => scrub(input.redact(text))) as Record<string, unknown>;
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}

/** What runs here: the console, Node, Electron (in the desktop app), SQLite, the platform. */
export function runtimeVersions(db: Database, appVersion: string | undefined): Record<string, string> {
  return {
    console: appVersion ?? process.env['npm_package_version'] ?? 'unknown',
    node: process.versions.node,
    ...(process.versions['electron'] ? { electron: process.versions['electron'] } : {}),
    sqlite: db.prepare<[], string>('SELECT sqlite_version()').pluck().get() ?? 'unknown',
    platform: `${process.platform} ${process.arch}`,
  };
}

function counts(db: Database): Record<string, unknown> {
  const count = (sql: string) => db.prepare<[], number>(sql).pluck().get() ?? 0;
  const byStatus = db
    .prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM sync_jobs GROUP BY status')
    .all();
  return {
    jobsByStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.n])),
    apiCalls: count('SELECT count(*) FROM api_calls'),
    auditEntries: count('SELECT count(*) FROM audit_log'),
    issues: count('SELECT count(*) FROM issues'),
  };
}

function logTail(file: string): string[] {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return [];
  }
  const length = Math.min(size, LOG_TAIL_BYTES);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lines = buffer.toString('utf8').split('\n').filter(Boolean);
  // The first line is probably cut in half by the byte window.
  if (length < size) lines.shift();
  return lines.slice(-LOG_TAIL_LINES);
}

/**
 * Removes what identifies a candidate or interviewer from the bundle's text: every candidate name
 * and e-mail address the stored events carry (longest first, so "Ann Lee" goes before "Ann"),
 * note texts, and anything else shaped like an e-mail address.
 */
function personalDataScrubber(db: Database): (text: string) => string {
  const known = new Set<string>();
  const rows = db
    .prepare<[number], { payload: string; note_text: string }>(
      'SELECT payload, note_text FROM sync_jobs ORDER BY id DESC LIMIT ?',
    )
    .all(NAMES_FROM_JOBS);
  for (const row of rows) {
    const event = safeJson(row.payload) as Record<string, unknown> | null;
    for (const key of ['candidateName', 'interviewerEmail']) {
      const value = event?.[key];
      if (typeof value === 'string' && value.trim().length >= 3) known.add(value.trim());
    }
    if (row.note_text.trim().length >= 3) known.add(row.note_text.trim());
  }
  // Log lines are JSON text: a name with a quote or non-ASCII letter appears there escaped.
  const forms = [...known]
    .flatMap((value) => [value, JSON.stringify(value).slice(1, -1)])
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(PERSONAL_DATA_REMOVED);
    return out.replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, PERSONAL_DATA_REMOVED);
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
