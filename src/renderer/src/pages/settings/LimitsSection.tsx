import { TextField } from './fields/TextField';
import type { SettingsBinding } from './settings-binding';
import { fieldProps } from './settings-binding';
import type { NumberField } from './settings-fields';

const HINTS: Record<NumberField, string> = {
  rateLimitPerMin: 'Client-side request budget per minute (default 100).',
  maxConcurrency: 'Requests in flight at once (default 5).',
  dailyLimit: 'Calls per UTC day; an alert fires at 80 % (default 10,000).',
  timeoutMs: 'Per-request timeout in milliseconds (default 15,000).',
};

export function LimitsSection({ b }: { b: SettingsBinding }) {
  return (
    <fieldset className="settings-section">
      <legend>Limits</legend>
      <p className="section-intro">Keep these within what your iCIMS contract allows.</p>
      <div className="field-grid">
        {(Object.keys(HINTS) as NumberField[]).map((field) => (
          <TextField key={field} {...fieldProps(b, field)} type="number" min={1} hint={HINTS[field]} />
        ))}
      </div>
    </fieldset>
  );
}
