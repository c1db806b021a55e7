import { useId, useState } from 'react';
import { applicationIdSchema } from '../../../../shared/scheduling-event';

/**
 * Search by exact application ID. Applied on Enter or "Search" rather than per keystroke: every
 * search is a query over a table that may hold 100k+ jobs, and a half-typed ID matches nothing.
 */
export function JobSearch({
  value,
  onSearch,
}: {
  value: string | undefined;
  onSearch: (applicationId: string | undefined) => void;
}) {
  const [draft, setDraft] = useState(value ?? '');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();

  const submit = () => {
    const trimmed = draft.trim();
    if (trimmed === '') {
      setError(null);
      onSearch(undefined);
      return;
    }
    const result = applicationIdSchema.safeParse(trimmed);
    if (!result.success) {
      setError(`Application ID ${result.error.issues[0]?.message ?? 'is not valid'}`);
      return;
    }
    setError(null);
    onSearch(trimmed);
  };

  return (
    <form
      className="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={inputId}>Application ID</label>
      <div className="search-row">
        <input
          id={inputId}
          type="search"
          value={draft}
          placeholder="e.g. APP-12345"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error !== null}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            setDraft(event.target.value);
            if (event.target.value === '' && value) {
              setError(null);
              onSearch(undefined);
            }
          }}
        />
        <button type="submit" className="button">
          Search
        </button>
      </div>
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
