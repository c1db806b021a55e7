import type { SettingsRuleField } from '../../../../shared/settings-rules';
import type { SecretField, SettingsValues, SettingsView } from '../../../../shared/settings';
import type { InputValue, SecretDraft, SettingsDraft, ValueField } from './settings-draft';

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
