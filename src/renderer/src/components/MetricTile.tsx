import type { ReactNode } from 'react';

interface MetricTileProps {
  label: string;
  /** Formatted text; the QA handle's text content is exactly this. */
  value: string;
  /** The unformatted number, for scripts that prefer not to parse "1,234". */
  rawValue?: number | null;
  testId?: string;
  hint?: ReactNode;
  tone?: 'good' | 'warn' | 'bad';
}

export function MetricTile({ label, value, rawValue, testId, hint, tone }: MetricTileProps) {
  return (
    <div className={`metric ${tone ? `tone-${tone}` : ''}`}>
      <div className="metric-label">{label}</div>
      <div className="metric-value" data-testid={testId} data-value={rawValue ?? undefined}>
        {value}
      </div>
      {hint ? <div className="metric-hint">{hint}</div> : null}
    </div>
  );
}
