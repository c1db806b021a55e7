import type { SettingsRuleField } from '../../../../shared/settings-rules';
import { inferAuthMethod } from '../../../../shared/settings-rules';
import type { SettingsValues } from '../../../../shared/settings';

/** Which fields the form shows: only those of the auth method, wire style and mode in effect. */
export function isFieldVisible(field: SettingsRuleField, values: SettingsValues): boolean {
  const method = inferAuthMethod(values);
  switch (field) {
    case 'apiKey':
      return method === 'apiKey';
    case 'clientId':
    case 'clientSecret':
    case 'tokenUrl':
      return method === 'oauth';
    case 'username':
    case 'password':
      return method === 'basic';
    case 'customerId':
    case 'notesField':
      return values.apiStyle === 'workflows';
    case 'simulateTraffic':
      return values.mode === 'mock';
    default:
      return true;
  }
}
