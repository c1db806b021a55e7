import { loadNow } from './machine';

/** Progress goes to stderr so stdout carries only the table. */
export function progress(message: string): void {
  const { load1 } = loadNow();
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)} load ${load1.toFixed(2)}] ${message}\n`);
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : String(n);
