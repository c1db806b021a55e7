import { createWriteStream, renameSync, statSync, type WriteStream } from 'node:fs';
import type { Logger, LogLevel } from './logger';

export interface JsonLoggerOptions {
  /** Log file (in CONSOLE_DATA_DIR); rotated to `<file>.1` when it passes `maxBytes`. */
  file: string | null;
  maxBytes?: number;
  /** Also write each line to stderr (headless mode, development). */
  stderr?: boolean;
  minLevel?: LogLevel;
  /** Applied to every serialized line: removes secret values that slipped into a field. */
  redact?: (line: string) => string;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * JSON lines: `{"time":…,"level":…,"event":…, …fields}`. The file is size-capped with one
 * rotation so a console left running for months cannot fill the disk.
 */
export class JsonLogger implements Logger {
  private stream: WriteStream | null = null;
  private bytes = 0;
  private readonly maxBytes: number;
  redact: (line: string) => string;

  constructor(private readonly options: JsonLoggerOptions) {
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.redact = options.redact ?? ((line) => line);
    if (options.file) this.open(options.file);
  }

  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    if (LEVELS[level] < LEVELS[this.options.minLevel ?? 'info']) return;
    const line =
      this.redact(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }, errorsAsText)) + '\n';
    if (this.options.stderr) process.stderr.write(line);
    if (!this.stream || !this.options.file) return;
    this.bytes += Buffer.byteLength(line);
    if (this.bytes > this.maxBytes) this.rotate(this.options.file);
    this.stream.write(line);
  }

  close(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    return new Promise((resolve) => (stream ? stream.end(resolve) : resolve()));
  }

  private open(file: string): void {
    try {
      this.bytes = statSync(file).size;
    } catch {
      this.bytes = 0;
    }
    this.stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
    this.stream.on('error', (error) => {
      process.stderr.write(`log file ${file} cannot be written: ${error.message}\n`);
      this.stream = null;
    });
  }

  private rotate(file: string): void {
    this.stream?.end();
    try {
      renameSync(file, `${file}.1`);
    } catch {
      // Another process may have rotated it already; appending to a fresh file is still right.
    }
    this.open(file);
    this.bytes = 0;
  }
}

function errorsAsText(_key: string, value: unknown): unknown {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
}
