/**
 * Number formatting for the console. Fixed to en-US so that the numbers QA and support staff read
 * ("1,234", "245 ms", "99.4 %") look the same on every machine.
 */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return integer.format(value);
}

export function formatMs(value: number | null | undefined): string {
  if (value == null) return '—';
  if (value >= 10_000) return `${oneDecimal.format(value / 1000)} s`;
  return `${integer.format(value)} ms`;
}

/** `ratio` in 0…1. 99.95 % does not round up to a reassuring "100.0 %". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio == null) return '—';
  const percent = Math.floor(ratio * 1000) / 10;
  return `${oneDecimal.format(percent)} %`;
}

/** Short axis labels: "750 ms", "1.5 s". */
export function formatAxisMs(value: number): string {
  return value >= 1000 ? `${Number((value / 1000).toFixed(1))} s` : `${value} ms`;
}
