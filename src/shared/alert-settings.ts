import { z } from 'zod';

/**
 * Settings of the alerting side of the console (no environment variable mirrors them): when to
 * call silence or a stale queue a problem, and where to send alerts. The webhook URL is a secret
 * (a Slack incoming-webhook URL is its own credential): write-only, like the iCIMS secrets.
 */
export const WEBHOOK_FORMATS = ['slack', 'json'] as const;

/** `Mon-Fri 09:00-17:00`: days (Mon…Sun, a range or a comma list) and a time range. */
export const BUSINESS_HOURS_PATTERN =
  /^((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:-(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun))?(?:,(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:-(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun))?)*) ([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

export const alertSettingsValuesSchema = z.object({
  /** Minutes without any incoming event before "events stopped" opens; 0 = off (the default). */
  silenceMinutes: z
    .number()
    .int('Silence alert must be a whole number of minutes')
    .min(0, 'Silence alert must be 0 (off) or more minutes')
    .max(7 * 24 * 60, 'Silence alert must be at most 10080 minutes (7 days)'),
  /** Only count silence inside these hours (console time zone); empty = around the clock. */
  businessHours: z
    .string()
    .trim()
    .max(100)
    .refine((v) => v === '' || BUSINESS_HOURS_PATTERN.test(v), {
      message: 'Business hours must read like "Mon-Fri 09:00-17:00", or be left empty for around the clock',
    }),
  /** Minutes the oldest pending job may wait before "oldest pending job too old" opens; 0 = off. */
  pendingAgeMinutes: z
    .number()
    .int('Oldest pending job must be a whole number of minutes')
    .min(0, 'Oldest pending job must be 0 (off) or more minutes')
    .max(7 * 24 * 60, 'Oldest pending job must be at most 10080 minutes (7 days)'),
  webhookFormat: z.enum(WEBHOOK_FORMATS),
});
export type AlertSettingsValues = z.infer<typeof alertSettingsValuesSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettingsValues = {
  silenceMinutes: 0,
  businessHours: '',
  pendingAgeMinutes: 180,
  webhookFormat: 'slack',
};

export const alertSettingsViewSchema = z.object({
  values: alertSettingsValuesSchema,
  /** Whether a webhook URL is saved — never the URL. */
  webhookUrlSet: z.boolean(),
  /** Where the URL goes, for people: the host only ("hooks.slack.com"). */
  webhookHost: z.string().nullable(),
});
export type AlertSettingsView = z.infer<typeof alertSettingsViewSchema>;

export const saveAlertSettingsInputSchema = z
  .object({
    values: alertSettingsValuesSchema.partial().default({}),
    /** A string sets the URL, `null` clears it, absent leaves it as saved. */
    webhookUrl: z
      .union([
        z
          .url({ protocol: /^https?$/, message: 'Webhook URL must be an http(s) URL' })
          .max(2000, 'Webhook URL is too long'),
        z.null(),
      ])
      .optional(),
  })
  .strict();

export const webhookTestResultSchema = z.object({ ok: z.boolean(), message: z.string() });
export type WebhookTestResult = z.infer<typeof webhookTestResultSchema>;
