import { useState } from 'react';
import type { JobSummary } from '../../../../shared/jobs';
import { errorMessage } from '../../api/console-api-error';
import { useConsoleApi } from '../../api/console-context';
import { useToast } from '../../components/Toasts';
import type { JobFilters } from './job-filters';
import { listInput } from './job-filters';

/** Enough for a bad morning's list; a bigger export belongs to the API (`GET /api/jobs`). */
const MAX_ROWS = 20_000;
const COLUMNS: (keyof JobSummary)[] = [
  'id',
  'eventId',
  'type',
  'applicationId',
  'status',
  'attempts',
  'maxAttempts',
  'lastError',
  'runAfter',
  'createdAt',
  'updatedAt',
  'destination',
];

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every job of the current filter (all pages, not only the one on screen) as a CSV download. */
export function ExportCsvButton({ filters }: { filters: JobFilters }) {
  const api = useConsoleApi();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const exportCsv = async () => {
    setBusy(true);
    try {
      const rows: JobSummary[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.listJobs({ ...listInput(filters), limit: 500, ...(cursor ? { cursor } : {}) });
        rows.push(...page.jobs);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && rows.length < MAX_ROWS);
      const csv = [COLUMNS.join(','), ...rows.map((job) => COLUMNS.map((c) => csvCell(job[c])).join(','))].join('\r\n');
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      link.download = `jobs-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      toast(
        'success',
        `Exported ${rows.length} ${rows.length === 1 ? 'job' : 'jobs'}${cursor ? ` (the first ${MAX_ROWS})` : ''}.`,
      );
    } catch (error) {
      toast('error', `Export CSV: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="button" disabled={busy} onClick={() => void exportCsv()}>
      {busy ? 'Exporting…' : 'Export CSV'}
    </button>
  );
}
