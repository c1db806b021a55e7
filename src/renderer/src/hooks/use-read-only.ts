import { useSnapshot } from './use-ops';

/** The id of the read-only banner's sentence: every disabled button points at it (aria-describedby). */
export const READ_ONLY_REASON_ID = 'read-only-reason';

/**
 * Team mode: why this console may not change the shared queue (its PostgreSQL role may only
 * read), or null when it may. The engine decides from the database's grants and says why in the
 * snapshot; the console only shows it. Issues, the audit log and alert settings are this
 * console's own (its SQLite store), so they stay writable either way.
 */
export function useReadOnly(): string | null {
  const snapshot = useSnapshot();
  return snapshot.data?.team?.readOnly ?? null;
}

/** The sentence as it reads on its own: "This console's database role may only read …". */
export function readOnlySentence(reason: string): string {
  const sentence = reason.charAt(0).toUpperCase() + reason.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * What a mutating button gets while the console is read-only: disabled, the reason as its
 * tooltip and as its accessible description. `title` is the button's tooltip otherwise.
 */
export function readOnlyButton(
  reason: string | null,
  title?: string,
): { disabled?: true; title?: string; 'aria-describedby'?: string } {
  if (reason === null) return title === undefined ? {} : { title };
  return { disabled: true, title: `Read-only: ${readOnlySentence(reason)}`, 'aria-describedby': READ_ONLY_REASON_ID };
}
