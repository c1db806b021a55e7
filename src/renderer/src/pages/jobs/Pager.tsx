import { formatCount } from '../../format/numbers';

interface PagerProps {
  pageIndex: number;
  pageSize: number;
  shown: number;
  hasNext: boolean;
  busy: boolean;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: () => void;
}

/**
 * Cursor paging: one page in the DOM at a time, so the table stays as fast with 100k jobs as with
 * 100. The server's cursor makes "next" cheap however deep one goes.
 */
export function Pager({ pageIndex, pageSize, shown, hasNext, busy, onFirst, onPrevious, onNext }: PagerProps) {
  const first = pageIndex * pageSize + 1;
  return (
    <div className="pager">
      <span className="muted" aria-live="polite">
        {shown === 0 ? 'No jobs' : `Jobs ${formatCount(first)}–${formatCount(first + shown - 1)}`}
        {busy ? ' · loading…' : ''}
      </span>
      <div className="button-row">
        <button type="button" className="button small" onClick={onFirst} disabled={pageIndex === 0}>
          Newest
        </button>
        <button type="button" className="button small" onClick={onPrevious} disabled={pageIndex === 0}>
          Previous page
        </button>
        <button type="button" className="button small" onClick={onNext} disabled={!hasNext || busy}>
          Next page
        </button>
      </div>
    </div>
  );
}
