/** Colours chosen to hold contrast on the card background of each scheme (see styles.css). */
export const CHART_PALETTE = {
  light: {
    avg: '#2563eb',
    p95: '#9333ea',
    errors: '#dc2626',
    grid: '#e5e7eb',
    axis: '#6b7280',
    tooltipBg: '#ffffff',
    tooltipBorder: '#d1d5db',
  },
  dark: {
    avg: '#60a5fa',
    p95: '#c084fc',
    errors: '#f87171',
    grid: '#2d3340',
    axis: '#9ca3af',
    tooltipBg: '#1b1f27',
    tooltipBorder: '#3a4150',
  },
} as const;
