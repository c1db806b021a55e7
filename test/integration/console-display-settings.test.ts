import { describe, expect, it } from 'vitest';
import { closeConsolesAfterEach, startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe("the console's own display settings", () => {
  it('a display time zone and an iCIMS web address are saved apart from the notes time zone; bad ones are refused by name', async () => {
    harness = await startConsole({ env: { CONSOLE_HTTP_HOST: '127.0.0.1', CONSOLE_HTTP_PORT: '0' } });
    const api = harness.engine.api;
    const before = await api.getSettings({});
    // Defaults: this computer's zone (empty) and no links.
    expect(before.values).toMatchObject({ displayTimeZone: '', icimsWebUrl: '' });

    const saved = await api.saveSettings({
      values: {
        displayTimeZone: 'Asia/Kolkata',
        icimsWebUrl: 'https://acme.icims.com/platform?app={applicationId}',
      },
      secrets: {},
    });
    expect(saved.values).toMatchObject({
      displayTimeZone: 'Asia/Kolkata',
      icimsWebUrl: 'https://acme.icims.com/platform?app={applicationId}',
      // The zone notes are written in is a different setting, and did not move.
      timezone: before.values.timezone,
    });
    const [entry] = (await api.listAudit({ limit: 1 })).entries;
    expect(entry!.detail).toBe('Display time zone, iCIMS web address for links');

    await expect(
      api.saveSettings({ values: { displayTimeZone: 'Mars/Olympus_Mons' }, secrets: {} }),
    ).rejects.toMatchObject({
      message: "Display time zone must be an IANA time zone, e.g. Europe/Berlin, or empty for this computer's",
      issues: [{ path: 'values.displayTimeZone' }],
    });
    await expect(
      api.saveSettings({
        values: { timezone: 'Nowhere/City', icimsWebUrl: 'http://acme.icims.com/{applicationId}' },
        secrets: {},
      }),
    ).rejects.toMatchObject({
      message:
        '2 problems: Time zone for notes must be an IANA time zone, e.g. America/New_York; iCIMS web address for links must be an https address',
      issues: [{ path: 'values.timezone' }, { path: 'values.icimsWebUrl' }],
    });
    // Nothing of a refused save was kept.
    expect((await api.getSettings({})).values).toMatchObject({
      displayTimeZone: 'Asia/Kolkata',
      timezone: before.values.timezone,
    });
  });
});
