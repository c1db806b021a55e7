/**
 * Every secret value the redactor masks wherever it appears: the configuration's credentials, the
 * console tokens, the webhook URL. The sources are read when one of them changed (`refresh`), not
 * for every log line.
 */
export class KnownSecrets {
  private values: readonly string[] = [];
  private readonly sources: (() => readonly string[])[] = [];

  /** Adds a source of secrets and reads every source again. */
  add(source: () => readonly string[]): void {
    this.sources.push(source);
    this.refresh();
  }

  /** A source changed: read them all again. */
  refresh(): void {
    this.values = this.sources.flatMap((source) => source());
  }

  list(): readonly string[] {
    return this.values;
  }
}
