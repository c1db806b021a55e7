import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SaveSettingsInput } from '../../../shared/settings';
import { useConsoleApi } from '../api/console-context';
import { invalidateChange, queryKeys } from '../api/query-keys';

export function useSettingsView() {
  const api = useConsoleApi();
  return useQuery({ queryKey: queryKeys.settings(), queryFn: () => api.getSettings({}) });
}

export function useSaveSettings() {
  const api = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SaveSettingsInput) => api.saveSettings(input),
    onSuccess: (view) => {
      queryClient.setQueryData(queryKeys.settings(), view);
      void invalidateChange(queryClient, 'settings');
    },
  });
}

export function useTestConnection() {
  const api = useConsoleApi();
  return useMutation({ mutationFn: (input: SaveSettingsInput) => api.testConnection(input) });
}
