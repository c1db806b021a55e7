import { icimsLink } from '../../../shared/settings-rules';
import { useSettingsView } from '../hooks/use-settings';

/**
 * Where "Open in iCIMS" points for one application (and note), or null where Settings allows no
 * link: links need real mode and an "iCIMS web address for links" (docs/OPS_CONSOLE.md).
 */
export function useIcimsLinks(): (ids: { applicationId: string; noteId: string | null }) => string | null {
  const { data } = useSettingsView();
  return (ids) => (data ? icimsLink(data.values, ids) : null);
}

/** The link itself. It opens in the user's browser: a new tab here, the system browser in the desktop app. */
export function IcimsLink({ href }: { href: string }) {
  return (
    <a className="icims-link" href={href} target="_blank" rel="noopener noreferrer" data-testid="icims-link">
      Open in iCIMS<span className="visually-hidden"> (opens in your browser)</span>
    </a>
  );
}
