import { join } from 'node:path';
import { JsonLogger } from '../../src/main/engine/json-logger';
import type { Logger } from '../../src/main/engine/logger';
import { createRedactor, redactFields } from '../../src/main/engine/redaction';
import { benchDir } from '../temp-dir';

export interface LogLineCost {
  lines: number;
  /** µs per `job.completed` line through the bare JsonLogger (what the queue figure includes). */
  plainUs: number;
  /** µs per line with the redaction engine.ts wraps every line in. */
  redactingUs: number;
}

/**
 * The worker writes one `job.completed` line per job. The queue figure uses the engine's
 * JsonLogger on a file; engine.ts additionally redacts every line (fields and the serialized
 * text) against the configured secrets. This measures both per line, composed as engine.ts
 * composes them, so the cost of that wrapper shows next to the jobs/s it would cap.
 */
export async function logLineCost(params: { lines: number }): Promise<LogLineCost> {
  const temp = benchDir('log-line');
  const secrets = ['bench-icims-api-key-0123456789', 'bench-console-token-0123456789abcdef'];
  const redact = createRedactor(() => secrets);
  const plain = new JsonLogger({ file: join(temp.dir, 'plain.log') });
  const redactedFile = new JsonLogger({ file: join(temp.dir, 'redacted.log'), redact });
  const redacting: Logger = {
    log: (level, event, fields) => redactedFile.log(level, event, fields ? redactFields(fields, redact) : fields),
  };
  const time = (logger: Logger) => {
    const start = performance.now();
    for (let i = 0; i < params.lines; i += 1) {
      logger.log('info', 'job.completed', {
        jobId: i,
        eventId: `evt-${i}`,
        applicationId: `APP-${i % 5000}`,
        label: 'initial',
        latencyMs: 0,
      });
    }
    return ((performance.now() - start) * 1000) / params.lines;
  };
  try {
    time(plain);
    time(redacting);
    return { lines: params.lines, plainUs: time(plain), redactingUs: time(redacting) };
  } finally {
    await plain.close();
    await redactedFile.close();
    temp.remove();
  }
}
