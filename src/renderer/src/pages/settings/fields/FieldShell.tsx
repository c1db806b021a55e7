import type { ReactNode } from 'react';
import { useId } from 'react';

export interface FieldA11y {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': boolean;
}

interface FieldShellProps {
  label: string;
  /** Shown after the label, outside it, so the accessible name stays exactly `label`. */
  badge?: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  /** The environment variable that sets this field, when it does. */
  lockedBy?: string | null;
  wide?: boolean;
  children: (a11y: FieldA11y) => ReactNode;
}

/** Label, control, hint and the field's validation message, wired together for screen readers. */
export function FieldShell({ label, badge, hint, error, lockedBy, wide, children }: FieldShellProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint || lockedBy ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${wide ? 'wide' : ''} ${error ? 'has-error' : ''}`}>
      <div className="field-label-row">
        <label htmlFor={id}>{label}</label>
        {badge}
        {lockedBy ? <span className="badge tone-neutral">set by environment</span> : null}
      </div>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': Boolean(error) })}
      {hint || lockedBy ? (
        <p id={hintId} className="field-hint">
          {lockedBy ? (
            <>
              Set by environment (<code>{lockedBy}</code>); change it there and restart the console.{' '}
            </>
          ) : null}
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
