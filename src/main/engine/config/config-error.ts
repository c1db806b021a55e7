import { ConfigError } from '../icims/errors';

export interface ConfigIssue {
  /** The environment variable the problem is reported under (also for values saved in Settings). */
  variable: string;
  /** The Settings field, or null for variables the Settings screen does not edit. */
  field: string | null;
  message: string;
}

/** The configuration cannot work. Lists every problem at once; never contains a secret value. */
export class ConfigValidationError extends ConfigError {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      // One problem: its message as it is, so the fixed messages of docs/INTERFACES.md §1 come out word for word.
      issues.length === 1
        ? (issues[0]?.message ?? '')
        : `${issues.length} configuration problems: ${issues.map((i) => i.message).join('; ')}`,
    );
  }
}
