import type { SettingsIssue, SettingsRuleField } from '../../../../shared/settings-rules';
import { validateSettings } from '../../../../shared/settings-rules';
import type { SettingsView } from '../../../../shared/settings';
import { SECRET_ENV_NAMES, SETTING_ENV_NAMES } from '../../../../shared/settings';
import type { SettingsDraft } from './settings-draft';
import { newSecrets, resolveValues } from './settings-draft';
import { FIELD_LABELS } from './settings-fields';

const KNOWN_FIELDS = new Set<string>(Object.keys(FIELD_LABELS));
const FIELD_BY_ENV_NAME = new Map<string, SettingsRuleField>(
  [...Object.entries(SETTING_ENV_NAMES), ...Object.entries(SECRET_ENV_NAMES)].map(([field, env]) => [
    env,
    field as SettingsRuleField,
  ]),
);

/** The shared rules, with messages naming the fields as the screen labels them. */
export function clientIssues(view: SettingsView, draft: SettingsDraft): SettingsIssue[] {
  return validateSettings(resolveValues(view, draft), view.secrets, newSecrets(draft), {
    nameOf: (field) => FIELD_LABELS[field],
  });
}

/**
 * A rejected save's issues come as paths (`values.baseUrl`, `secrets.apiKey`, or an environment
 * variable name); map each to the field it concerns so it shows next to that field. Those that
 * match no field are shown above the buttons.
 */
export function fieldOfIssuePath(path: string): SettingsRuleField | null {
  const last = path.split('.').pop() ?? '';
  if (KNOWN_FIELDS.has(last)) return last as SettingsRuleField;
  return FIELD_BY_ENV_NAME.get(last) ?? null;
}
