import { CheckboxField } from './fields/CheckboxField';
import { TextField } from './fields/TextField';
import type { SettingsBinding } from './settings-binding';
import { fieldProps } from './settings-binding';
import { FIELD_LABELS } from './settings-fields';
import { isFieldVisible } from './settings-visibility';

const TIME_ZONES: readonly string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export function ConsoleSection({ b }: { b: SettingsBinding }) {
  return (
    <fieldset className="settings-section">
      <legend>Console</legend>
      <div className="field-grid">
        <TextField
          {...fieldProps(b, 'timezone')}
          list="settings-time-zones"
          placeholder="e.g. America/New_York"
          hint="Notes for events that carry no time zone name their times in this one."
        />
        <datalist id="settings-time-zones">
          {TIME_ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        {isFieldVisible('simulateTraffic', b.resolved) ? (
          <CheckboxField
            label={FIELD_LABELS.simulateTraffic}
            checked={b.resolved.simulateTraffic}
            onChange={(checked) => b.setValue('simulateTraffic', checked)}
            hint="Mock mode only: generate scheduling events so every card and chart has data."
          />
        ) : null}
      </div>
    </fieldset>
  );
}
