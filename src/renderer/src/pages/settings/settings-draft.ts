import type { NewSecrets, SecretPresence } from '../../../../shared/settings-rules';
import type { SaveSettingsInput, SecretField, SettingsValues, SettingsView } from '../../../../shared/settings';
import { NUMBER_FIELDS } from './settings-fields';

export type ValueField = keyof SettingsValues;

/** What an input holds: text for text and number inputs ("" = auth method inferred), a flag for checkboxes. */
export type InputValue = string | boolean;

export type SecretDraft = { kind: 'set'; value: string } | { kind: 'clear' };

/**
 * The admin's unsaved edits, as overrides of the saved settings. Only touched fields are held, so
 * a push that changes the saved settings shows up in every field the admin has not edited, and
 * never overwrites one they have.
 */
export interface SettingsDraft {
  values: Partial<Record<ValueField, InputValue>>;
  secrets: Partial<Record<SecretField, SecretDraft>>;
}

export const EMPTY_DRAFT: SettingsDraft = { values: {}, secrets: {} };

export function toInputValue(values: SettingsValues, field: ValueField): InputValue {
  const value = values[field];
  if (typeof value === 'boolean') return value;
  if (value === null) return '';
  return String(value);
}

export function inputValue(view: SettingsView, draft: SettingsDraft, field: ValueField): InputValue {
  return draft.values[field] ?? toInputValue(view.values, field);
}

function parseNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** The settings as they would be after saving (numbers that don't parse become NaN, caught by the rules). */
export function resolveValues(view: SettingsView, draft: SettingsDraft): SettingsValues {
  const values: SettingsValues = { ...view.values };
  for (const [field, raw] of Object.entries(draft.values) as [ValueField, InputValue][]) {
    if ((NUMBER_FIELDS as readonly string[]).includes(field))
      (values as Record<string, unknown>)[field] = parseNumber(String(raw));
    else if (field === 'authMethod') values.authMethod = raw === '' ? null : (raw as SettingsValues['authMethod']);
    else (values as Record<string, unknown>)[field] = raw;
  }
  return values;
}

/** Only what changed, and never an environment-locked field: those are not ours to send. */
export function changedValues(view: SettingsView, draft: SettingsDraft): Partial<SettingsValues> {
  const resolved = resolveValues(view, draft);
  const changed: Partial<SettingsValues> = {};
  for (const field of Object.keys(draft.values) as ValueField[]) {
    if (view.envLocked.includes(field)) continue;
    if (!Object.is(resolved[field], view.values[field])) (changed as Record<string, unknown>)[field] = resolved[field];
  }
  return changed;
}

export function newSecrets(draft: SettingsDraft): NewSecrets {
  const secrets: NewSecrets = {};
  for (const [field, secret] of Object.entries(draft.secrets) as [SecretField, SecretDraft][]) {
    if (secret.kind === 'clear') secrets[field] = null;
    else if (secret.value !== '') secrets[field] = secret.value;
  }
  return secrets;
}

export function toSaveInput(view: SettingsView, draft: SettingsDraft): SaveSettingsInput {
  return { values: changedValues(view, draft), secrets: newSecrets(draft) };
}

/** How many fields (values and secrets) the draft would change if saved. */
export function changeCount(view: SettingsView, draft: SettingsDraft): number {
  return Object.keys(changedValues(view, draft)).length + Object.keys(newSecrets(draft)).length;
}

export function isDirty(view: SettingsView, draft: SettingsDraft): boolean {
  return changeCount(view, draft) > 0;
}

export function secretPresence(view: SettingsView): SecretPresence {
  return view.secrets;
}
