import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger, LogLevel } from '../engine/logger';
import type { FieldRedactor } from './secret-redaction';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface MainProcessLoggerOptions {
  redact: FieldRedactor;
  /** Warnings and errors (crash reports among them) are also appended here. */
  filePath: string | null;
  minLevel?: LogLevel;
  write?: (line: string) => void;
}

/**
 * The main process's log: one redacted JSON object per line on stderr. The engine keeps its own
 * full log in the data directory; this file gets only warnings and errors, so crash reports and
 * IPC failures that happen outside the engine survive without doubling the engine's log.
 */
export class MainProcessLogger implements Logger {
  private filePath: string | null;

  constructor(private readonly options: MainProcessLoggerOptions) {
    this.filePath = options.filePath;
  }

  /** The data directory is known only once the environment is read. */
  setFilePath(filePath: string | null): void {
    this.filePath = filePath;
  }

  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.options.minLevel ?? 'info']) return;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level,
      event,
      ...(this.options.redact(fields) as Record<string, unknown>),
    });
    (this.options.write ?? ((text: string) => process.stderr.write(text)))(`${line}\n`);
    if (this.filePath && LEVEL_RANK[level] >= LEVEL_RANK.warn) {
      try {
        mkdirSync(dirname(this.filePath), { recursive: true });
        appendFileSync(this.filePath, `${line}\n`);
      } catch {
        // Logging must never take the app down; stderr already has the line.
      }
    }
  }
}
