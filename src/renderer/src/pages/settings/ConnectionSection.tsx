import { TextField } from './fields/TextField';
import { SelectField } from './fields/SelectField';
import type { SettingsBinding } from './settings-binding';
import { fieldProps } from './settings-binding';
import { MODE_OPTIONS, READ_BACK_OPTIONS, STYLE_OPTIONS } from './settings-fields';
import { isFieldVisible } from './settings-visibility';

export function ConnectionSection({ b }: { b: SettingsBinding }) {
  const real = b.resolved.mode === 'real';
  return (
    <fieldset className="settings-section">
      <legend>Connection</legend>
      <p className="section-intro">Where notes go, and in which iCIMS API shape.</p>
      <div className="field-grid">
        <SelectField {...fieldProps(b, 'mode')} options={MODE_OPTIONS} />
        <SelectField
          {...fieldProps(b, 'apiStyle')}
          options={STYLE_OPTIONS}
          hint="Ask your iCIMS contact which one your account uses; workflows is iCIMS' documented REST API."
        />
        <SelectField
          {...fieldProps(b, 'readBack')}
          options={READ_BACK_OPTIONS}
          hint="When a note write times out or iCIMS answers 5xx, the note may already be there. Auto reads the application's notes (one extra call) before sending it again, so it never lands twice. Turn off only if iCIMS confirmed your account drops a repeated Idempotency-Key."
        />
        <TextField
          {...fieldProps(b, 'baseUrl')}
          type="url"
          mono
          wide
          placeholder="e.g. https://api.icims.com"
          hint={
            real
              ? 'Required in real mode, e.g. https://api.icims.com or https://api-eu.icims.com.'
              : 'Used when you switch to real mode.'
          }
        />
        {isFieldVisible('customerId', b.resolved) ? (
          <>
            <TextField
              {...fieldProps(b, 'customerId')}
              mono
              hint="Your iCIMS customer number, part of every workflows URL."
            />
            <TextField
              {...fieldProps(b, 'notesField')}
              mono
              hint="The applicant-workflow collection field that receives notes (default: notes)."
            />
          </>
        ) : null}
      </div>
    </fieldset>
  );
}
