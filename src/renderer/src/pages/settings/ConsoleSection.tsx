import { displayZone, zoneShortName } from '../../format/time';
import { CheckboxField } from './fields/CheckboxField';
import { TextField } from './fields/TextField';
import type { SettingsBinding } from './settings-binding';
import { fieldProps } from './settings-binding';
import { FIELD_LABELS } from './settings-fields';
import { isFieldVisible } from './settings-visibility';

const TIME_ZONES: readonly string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export function ConsoleSection({ b }: { b: SettingsBinding }) {
  const computerZone = displayZone();
  return (
    <fieldset className="settings-section">
      <legend>Console</legend>
      <div className="field-grid">
        <TextField
          {...fieldProps(b, 'timezone')}
          list="settings-time-zones"
          placeholder="e.g. America/New_York"
          hint="Written into iCIMS: notes for events that carry no time zone name their times in this one."
        />
        <TextField
          {...fieldProps(b, 'displayTimeZone')}
          list="settings-time-zones"
          placeholder={`This computer's: ${computerZone}`}
          hint={`Shown on these screens: exact times (timeline, job detail, Activity, Issues) are in this zone, with its short name. Empty = this computer's (${computerZone}, ${zoneShortName(computerZone)}). Changes nothing in iCIMS.`}
        />
        <TextField
          {...fieldProps(b, 'icimsWebUrl')}
          type="url"
          wide
          mono
          placeholder="https://yourcompany.icims.com/…{applicationId}…"
          hint={
            <>
              Real mode only: the timeline and job detail show <em>Open in iCIMS</em> links to this address, with{' '}
              <code>{'{applicationId}'}</code> (required) and <code>{'{noteId}'}</code> (optional) filled in. https
              only. Empty = no links.
            </>
          }
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
