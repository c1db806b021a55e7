import type { ApiCallRecord, ApiCallSink } from '../../src/main/engine/icims/icims-client';
import type { Logger, LogLevel } from '../../src/main/engine/logger';

/** Collects every ApiCallRecord the client emits. */
export class RecordingSink implements ApiCallSink {
  readonly calls: ApiCallRecord[] = [];
  record(call: ApiCallRecord): void {
    this.calls.push(call);
  }
}

/** Collects every log line, as the JSON a file logger would write. */
export class CapturingLogger implements Logger {
  readonly lines: string[] = [];
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void {
    this.lines.push(JSON.stringify({ level, event, ...fields }));
  }
}
