import type { ConnectionTestResult as Result } from '../../../../shared/settings';
import { formatMs } from '../../format/numbers';

/** The outcome of "Test connection", word for word from the server (e.g. the 401 message). */
export function ConnectionTestResult({ result, error }: { result: Result | undefined; error: string | null }) {
  if (error) {
    return (
      <p className="test-result bad" role="alert" data-testid="connection-result" data-ok="false">
        Test failed: {error}
      </p>
    );
  }
  if (!result) return null;
  const details = [
    result.statusCode !== null ? `HTTP ${result.statusCode}` : null,
    result.latencyMs !== null ? formatMs(result.latencyMs) : null,
  ]
    .filter(Boolean)
    .join(', ');
  return result.ok ? (
    <p className="test-result good" data-testid="connection-result" data-ok="true">
      ✓ Connected{details ? ` (${details})` : ''}: {result.message}
    </p>
  ) : (
    <p className="test-result bad" role="alert" data-testid="connection-result" data-ok="false">
      ✕ Connection failed{details ? ` (${details})` : ''}: {result.message}
    </p>
  );
}
