import { useSnapshot } from '../hooks/use-ops';

/** The number of open issues beside the Issues link; nothing when there are none. */
export function OpenIssuesCount() {
  const open = useSnapshot().data?.openIssues ?? 0;
  if (open === 0) return null;
  return (
    <span className="nav-count" data-testid="open-issues-count" aria-label={`, ${open} open`}>
      {open}
    </span>
  );
}
