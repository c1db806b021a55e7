import type { ConsoleApiHandlers } from '../../../shared/console-api';
import { ConsoleApiError } from '../../../shared/console-api';
import type { EngineConfig } from '../config/engine-config';
import type { LiveIcimsClient } from '../live-client';
import type { LiveConfig } from '../live-config';
import type { TeamSettings } from '../team/team-settings';
import type { SettingsService } from './settings-service';

export type SettingsMethods = 'getSettings' | 'saveSettings' | 'testConnection';

export interface SettingsHandlerDeps {
  settings: SettingsService;
  live: LiveConfig;
  /** Builds the throwaway client of Test connection. */
  icims: Pick<LiveIcimsClient, 'forTest'>;
  /** Resolves once what a save set in motion (the queue's destination switch) is done. */
  applied?: () => Promise<void>;
  /**
   * Team mode: a save is the team's (team/team-settings.ts). Secrets the team cannot keep, and a
   * database role that may not write settings, are refused before anything is saved; the team's
   * copy is written before the local save is applied.
   */
  team?: Pick<TeamSettings, 'assertSecretsShareable' | 'assertWritable' | 'push'>;
}

/** The ConsoleApi methods of Settings › Connection: the settings, saving them, and Test connection. */
export function createSettingsHandlers(deps: SettingsHandlerDeps): Pick<ConsoleApiHandlers, SettingsMethods> {
  const { settings, live } = deps;

  return {
    async getSettings() {
      return settings.view(live.current());
    },

    async saveSettings(input) {
      deps.team?.assertSecretsShareable(input.secrets);
      await deps.team?.assertWritable();
      const change = settings.save({ values: input.values, secrets: input.secrets }, live.current());
      if (!deps.team) {
        live.apply(change.config, change.credentialsChanged);
        await deps.applied?.();
        return settings.view(change.config);
      }
      // Shared before applied here: applying new credentials lifts the team's auth pause, and
      // the other engines must find the new settings (a newer version) by the time they see that.
      let pushed: Awaited<ReturnType<typeof deps.team.push>>;
      try {
        pushed = await deps.team.push(null);
      } finally {
        live.apply(change.config, change.credentialsChanged);
      }
      if (pushed.changed) live.apply(pushed.config, pushed.credentialsChanged);
      await deps.applied?.();
      return settings.view(live.current());
    },

    async testConnection(input) {
      let config: EngineConfig;
      try {
        config = settings.preview({ values: input.values, secrets: input.secrets }, live.current()).config;
      } catch (error) {
        if (error instanceof ConsoleApiError) {
          const detail = error.issues?.map((issue) => issue.message).join('; ');
          return { ok: false, latencyMs: null, statusCode: null, message: `Not tested: ${detail || error.message}` };
        }
        throw error;
      }
      if (config.icims.mode === 'mock') {
        return {
          ok: true,
          latencyMs: 0,
          statusCode: null,
          message: 'Mock mode: notes go to the simulated iCIMS inside the console; nothing is sent over the network.',
        };
      }
      const client = deps.icims.forTest(config);
      try {
        return await client.testConnection();
      } finally {
        await client.close();
      }
    },
  };
}
