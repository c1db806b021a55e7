import { appendFileSync, chmodSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger, LogLevel } from '../engine/logger';
import type { FieldRedactor } from './secret-redaction';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The file is rolled over to `<file>.1` beyond this: a crash loop must not fill the disk. */
export const MAIN_LOG_MAX_BYTES = 5 * 1024 * 1024;

export interface MainProcessLoggerOptions {
  redact: FieldRedactor;
  /** Warnings and errors (crash reports among them) are also appended here. */
  filePath: string | null;
  minLevel?: LogLevel;
  write?: (line: string) => void;
  /** Size cap of the file (default MAIN_LOG_MAX_BYTES). */
  maxBytes?: number;
}

/**
 * The main process's log: one redacted JSON object per line on stderr. The engine keeps its own
 * full log in the data directory; this file gets only warnings and errors, so crash reports and
 * IPC failures that happen outside the engine survive without doubling the engine's log. The
 * file is 0600 (its folder 0700) and capped: past the cap it becomes `.1` (replacing the older
 * one) and a new file starts, so at most twice the cap is ever kept.
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
        this.append(this.filePath, `${line}\n`);
      } catch {
        // Logging must never take the app down; stderr already has the line.
      }
    }
  }

  private append(file: string, text: string): void {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      // No file yet.
    }
    if (size > 0 && size + Buffer.byteLength(text) > (this.options.maxBytes ?? MAIN_LOG_MAX_BYTES)) {
      renameSync(file, `${file}.1`);
    }
    appendFileSync(file, text, { mode: 0o600 });
    // appendFileSync's mode only applies to a file it creates: a file left by an older version keeps its own.
    chmodSync(file, 0o600);
  }
}
