import type { SettingsRuleField } from '../../../../shared/settings-rules';
import type { SecretField, SettingsValues, SettingsView } from '../../../../shared/settings';
import type { InputValue, SecretDraft, SettingsDraft, ValueField } from './settings-draft';
import { FIELD_LABELS } from './settings-fields';

/** What each Settings section needs to render and edit its fields. */
export interface SettingsBinding {
  view: SettingsView;
  draft: SettingsDraft;
  /** The values as they would be saved. */
  resolved: SettingsValues;
  text(field: ValueField): string;
  setValue(field: ValueField, value: InputValue): void;
  setSecret(field: SecretField, draft: SecretDraft | undefined): void;
  errorFor(field: SettingsRuleField): string | null;
  /** The environment variable that locks the field, or null when it is editable. */
  lockedBy(field: SettingsRuleField): string | null;
}

/** What every text or select field takes for one setting: its label, value, editing, lock and error. */
export function fieldProps(b: SettingsBinding, field: ValueField) {
  return {
    label: FIELD_LABELS[field],
    value: b.text(field),
    onChange: (value: string) => b.setValue(field, value),
    lockedBy: b.lockedBy(field),
    error: b.errorFor(field),
  };
}
