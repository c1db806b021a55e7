import { TextField } from './fields/TextField';
import { SelectField } from './fields/SelectField';
import type { SettingsBinding } from './settings-binding';
import { FIELD_LABELS, MODE_OPTIONS, STYLE_OPTIONS } from './settings-fields';
import { isFieldVisible } from './settings-visibility';

export function ConnectionSection({ b }: { b: SettingsBinding }) {
  const real = b.resolved.mode === 'real';
  return (
    <fieldset className="settings-section">
      <legend>Connection</legend>
      <p className="section-intro">Where notes go, and in which iCIMS API shape.</p>
      <div className="field-grid">
        <SelectField label={FIELD_LABELS.mode} value={b.text('mode')} options={MODE_OPTIONS} onChange={(v) => b.setValue('mode', v)} lockedBy={b.lockedBy('mode')} error={b.errorFor('mode')} />
        <SelectField
          label={FIELD_LABELS.apiStyle}
          value={b.text('apiStyle')}
          options={STYLE_OPTIONS}
          onChange={(v) => b.setValue('apiStyle', v)}
          lockedBy={b.lockedBy('apiStyle')}
          error={b.errorFor('apiStyle')}
          hint="Ask your iCIMS contact which one your account uses; workflows is iCIMS' documented REST API."
        />
        <TextField
          label={FIELD_LABELS.baseUrl}
          type="url"
          mono
          wide
          value={b.text('baseUrl')}
          onChange={(v) => b.setValue('baseUrl', v)}
          placeholder="e.g. https://api.icims.com"
          hint={real ? 'Required in real mode, e.g. https://api.icims.com or https://api-eu.icims.com.' : 'Used when you switch to real mode.'}
          lockedBy={b.lockedBy('baseUrl')}
          error={b.errorFor('baseUrl')}
        />
        {isFieldVisible('customerId', b.resolved) ? (
          <>
            <TextField
              label={FIELD_LABELS.customerId}
              mono
              value={b.text('customerId')}
              onChange={(v) => b.setValue('customerId', v)}
              hint="Your iCIMS customer number, part of every workflows URL."
              lockedBy={b.lockedBy('customerId')}
              error={b.errorFor('customerId')}
            />
            <TextField
              label={FIELD_LABELS.notesField}
              mono
              value={b.text('notesField')}
              onChange={(v) => b.setValue('notesField', v)}
              hint="The applicant-workflow collection field that receives notes (default: notes)."
              lockedBy={b.lockedBy('notesField')}
              error={b.errorFor('notesField')}
            />
          </>
        ) : null}
      </div>
    </fieldset>
  );
}
