import type { ReactNode } from 'react';
import { FieldShell } from './FieldShell';

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | null;
  lockedBy?: string | null;
  type?: 'text' | 'url' | 'number';
  placeholder?: string;
  min?: number;
  list?: string;
  wide?: boolean;
  mono?: boolean;
}

export function TextField({
  label,
  value,
  onChange,
  hint,
  error,
  lockedBy,
  type = 'text',
  placeholder,
  min,
  list,
  wide,
  mono,
}: TextFieldProps) {
  return (
    <FieldShell label={label} hint={hint} error={error} lockedBy={lockedBy} wide={wide}>
      {(a11y) => (
        <input
          {...a11y}
          className={mono ? 'mono' : undefined}
          type={type}
          value={value}
          readOnly={Boolean(lockedBy)}
          placeholder={placeholder}
          min={min}
          step={type === 'number' ? 1 : undefined}
          inputMode={type === 'number' ? 'numeric' : undefined}
          list={list}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldShell>
  );
}
