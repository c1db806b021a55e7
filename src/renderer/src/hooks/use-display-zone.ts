import { resolveDisplayZone } from '../format/time';
import { useSettingsView } from './use-settings';

/**
 * The zone every screen shows absolute times in: Settings' "Display time zone", or this
 * computer's while it is empty (or the settings have not loaded yet).
 */
export function useDisplayZone(): string {
  const { data } = useSettingsView();
  return resolveDisplayZone(data?.values.displayTimeZone);
}
