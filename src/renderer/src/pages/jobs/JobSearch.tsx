import { useId, useState } from 'react';
import { EVENT_TYPES } from '../../../../shared/scheduling-event';
import type { EventType } from '../../../../shared/scheduling-event';
import type { JobFilters } from './job-filters';
import { EVENT_TYPE_LABEL } from './job-eligibility';

type SearchFields = Pick<JobFilters, 'q' | 'type' | 'from' | 'to'>;

/**
 * Search (part of an application id, a candidate's name or an event id, any case) with the event
 * type and a date range. Applied on Enter or "Search" rather than per keystroke: a search may scan
 * a large table, and a half-typed id is rarely what someone is after.
 */
export function JobSearch({ value, onSearch }: { value: SearchFields; onSearch: (next: SearchFields) => void }) {
  const [draft, setDraft] = useState<SearchFields>(value);
  const ids = { q: useId(), type: useId(), from: useId(), to: useId(), error: useId() };
  const rangeError = draft.from && draft.to && draft.from > draft.to ? '"From" is after "To".' : null;
  const set = (patch: Partial<SearchFields>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <form
      className="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (rangeError) return;
        onSearch({ ...draft, q: draft.q?.trim() || undefined });
      }}
    >
      <div className="search-field search-text">
        <label htmlFor={ids.q}>Search</label>
        <input
          id={ids.q}
          type="search"
          value={draft.q ?? ''}
          placeholder="Application id, candidate or event id"
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => {
            set({ q: event.target.value || undefined });
            if (event.target.value === '' && value.q) onSearch({ ...draft, q: undefined });
          }}
        />
      </div>
      <div className="search-field">
        <label htmlFor={ids.type}>Event type</label>
        <select
          id={ids.type}
          value={draft.type ?? ''}
          onChange={(event) => set({ type: (event.target.value || undefined) as EventType | undefined })}
        >
          <option value="">Any</option>
          {EVENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {EVENT_TYPE_LABEL[type]}
            </option>
          ))}
        </select>
      </div>
      <div className="search-field">
        <label htmlFor={ids.from}>From</label>
        <input
          id={ids.from}
          type="date"
          value={draft.from ?? ''}
          aria-invalid={rangeError !== null}
          aria-describedby={rangeError ? ids.error : undefined}
          onChange={(event) => set({ from: event.target.value || undefined })}
        />
      </div>
      <div className="search-field">
        <label htmlFor={ids.to}>To</label>
        <input
          id={ids.to}
          type="date"
          value={draft.to ?? ''}
          onChange={(event) => set({ to: event.target.value || undefined })}
        />
      </div>
      <button type="submit" className="button search-submit">
        Search
      </button>
      {rangeError ? (
        <p id={ids.error} className="field-error" role="alert">
          {rangeError}
        </p>
      ) : null}
    </form>
  );
}
