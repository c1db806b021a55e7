import type { SecretDraft } from '../settings-draft';
import { FieldShell } from './FieldShell';

interface SecretFieldProps {
  label: string;
  /** Whether a value is stored (or set by environment). Never the value itself. */
  saved: boolean;
  draft: SecretDraft | undefined;
  onChange: (draft: SecretDraft | undefined) => void;
  error?: string | null;
  lockedBy?: string | null;
  hint?: string;
}

function SecretBadge({ saved, draft }: { saved: boolean; draft: SecretDraft | undefined }) {
  if (draft?.kind === 'clear') return <span className="badge tone-warn">will be cleared on save</span>;
  if (draft?.kind === 'set' && draft.value !== '')
    return <span className="badge tone-info">new value, not saved yet</span>;
  return saved ? <span className="badge tone-good">saved</span> : <span className="badge tone-neutral">not set</span>;
}

/**
 * Write-only: the input starts empty whatever is stored, because the renderer never receives a
 * stored secret. Typing replaces it on save; "Clear" removes it on save.
 */
export function SecretField({ label, saved, draft, onChange, error, lockedBy, hint }: SecretFieldProps) {
  const clearing = draft?.kind === 'clear';
  return (
    <FieldShell
      label={label}
      badge={lockedBy ? null : <SecretBadge saved={saved} draft={draft} />}
      hint={hint}
      error={error}
      lockedBy={lockedBy}
    >
      {(a11y) => (
        <div className="secret-row">
          <input
            {...a11y}
            type="password"
            className="mono"
            value={draft?.kind === 'set' ? draft.value : ''}
            readOnly={Boolean(lockedBy)}
            disabled={clearing}
            placeholder={
              lockedBy
                ? 'set by environment'
                : clearing
                  ? 'will be cleared'
                  : saved
                    ? 'saved — type a new value to replace it'
                    : 'not set'
            }
            autoComplete="new-password"
            spellCheck={false}
            onChange={(event) =>
              onChange(event.target.value === '' ? undefined : { kind: 'set', value: event.target.value })
            }
          />
          {!lockedBy && clearing ? (
            <button type="button" className="button small" onClick={() => onChange(undefined)}>
              Undo clear
            </button>
          ) : null}
          {!lockedBy && saved && !clearing ? (
            <button type="button" className="button small danger-outline" onClick={() => onChange({ kind: 'clear' })}>
              Clear {label}
            </button>
          ) : null}
        </div>
      )}
    </FieldShell>
  );
}
