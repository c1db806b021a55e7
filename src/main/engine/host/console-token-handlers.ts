import type { ConsoleApiHandlers } from '../../../shared/console-api';
import { SYSTEM_ACTOR } from '../../../shared/actor';
import { CONSOLE_TOKEN_KINDS } from '../../../shared/console-tokens';
import type { ConsoleTokens } from './console-tokens';
import { TOKEN_VARIABLES } from './console-tokens';
import type { Logger } from '../logger';

type TokenHandlers = Pick<ConsoleApiHandlers, 'getConsoleTokens' | 'revealConsoleToken' | 'rotateConsoleToken'>;

/**
 * Settings › Console tokens. Only admins reach these: the desktop window, and browser sessions,
 * which are only ever opened with the API token. The ingest token cannot call any console method.
 * Every reveal and rotation is logged with who asked (never the token).
 */
export function createConsoleTokenHandlers(tokens: ConsoleTokens, logger: Logger): TokenHandlers {
  return {
    async getConsoleTokens() {
      return {
        tokens: CONSOLE_TOKEN_KINDS.map((kind) => ({
          kind,
          source: tokens.source(kind),
          variable: TOKEN_VARIABLES[kind],
        })),
      };
    },
    async revealConsoleToken({ kind }, context) {
      logger.log('info', 'console_token.revealed', { kind, actor: (context?.actor ?? SYSTEM_ACTOR).label });
      return { kind, token: tokens.value(kind), source: tokens.source(kind) };
    },
    async rotateConsoleToken({ kind }, context) {
      const token = tokens.rotate(kind);
      logger.log('info', 'console_token.rotated', { kind, actor: (context?.actor ?? SYSTEM_ACTOR).label });
      return { kind, token, source: tokens.source(kind) };
    },
  };
}
