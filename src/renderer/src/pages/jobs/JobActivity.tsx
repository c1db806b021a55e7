import { useAuditTrail } from '../../hooks/use-issues';
import { AuditList } from '../activity/AuditList';

/** Who retried or cancelled this job, and how it went. */
export function JobActivity({ jobId }: { jobId: number }) {
  const query = useAuditTrail(jobId);
  const entries = query.data?.pages.flatMap((page) => page.entries) ?? [];
  if (query.isPending) return null;
  if (entries.length === 0) return <p className="muted small">Nobody has retried or cancelled this job.</p>;
  return <AuditList entries={entries} showJob={false} />;
}
