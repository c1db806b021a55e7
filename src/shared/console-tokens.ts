import { z } from 'zod';

/** The console's own bearer tokens: `api` for admins and scripts, `ingest` for the scheduling system. */
export const CONSOLE_TOKEN_KINDS = ['api', 'ingest'] as const;
export type ConsoleTokenKind = (typeof CONSOLE_TOKEN_KINDS)[number];

export const consoleTokenRefSchema = z.object({ kind: z.enum(CONSOLE_TOKEN_KINDS) }).strict();

/** Where each token comes from; never the token itself. */
export const consoleTokensViewSchema = z.object({
  tokens: z.array(
    z.object({
      kind: z.enum(CONSOLE_TOKEN_KINDS),
      source: z.enum(['environment', 'generated']),
      /** The environment variable that sets it (and would override a generated one). */
      variable: z.string(),
    }),
  ),
});
export type ConsoleTokensView = z.infer<typeof consoleTokensViewSchema>;

/** A token shown to an admin who asked for it (reveal) or just replaced it (rotate). */
export const revealedTokenSchema = z.object({
  kind: z.enum(CONSOLE_TOKEN_KINDS),
  token: z.string(),
  source: z.enum(['environment', 'generated']),
});
export type RevealedToken = z.infer<typeof revealedTokenSchema>;
