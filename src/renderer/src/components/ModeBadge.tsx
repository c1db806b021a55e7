import { useSnapshot } from '../hooks/use-ops';

/** A reminder that nothing reaches a real iCIMS while in mock mode. */
export function ModeBadge() {
  const { data } = useSnapshot();
  if (data?.config.mode !== 'mock') return null;
  return (
    <span className="mode-badge" title="Mock mode: notes go to a simulated iCIMS, not a real one.">
      Mock mode
    </span>
  );
}
