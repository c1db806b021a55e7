import type { ReactNode } from 'react';
import { FieldShell } from './FieldShell';

interface SelectFieldProps {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | null;
  lockedBy?: string | null;
}

export function SelectField({ label, value, options, onChange, hint, error, lockedBy }: SelectFieldProps) {
  return (
    <FieldShell label={label} hint={hint} error={error} lockedBy={lockedBy}>
      {(a11y) => (
        // A disabled select cannot be read-only; `disabled` is the only way, and its value still shows.
        <select {...a11y} value={value} disabled={Boolean(lockedBy)} onChange={(event) => onChange(event.target.value)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}
