/**
 * Structured logging: one JSON object per line. `event` is a stable machine name
 * (`icims.call`, `job.completed`, …); `fields` carry the details. Implementations redact secrets
 * before writing, but callers must still never pass a credential or token in a field.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

/** For tests and for hosts that do not want logs. */
export const silentLogger: Logger = { log: () => {} };
