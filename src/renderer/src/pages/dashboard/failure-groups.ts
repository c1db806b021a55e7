import type { RecentFailure } from '../../../../shared/ops-snapshot';

export interface FailureGroup extends RecentFailure {
  /** How many failed calls in a row this entry stands for (the newest one's time is shown). */
  count: number;
}

const sameFailure = (a: RecentFailure, b: RecentFailure) =>
  a.jobId === b.jobId &&
  a.applicationId === b.applicationId &&
  a.operation === b.operation &&
  a.statusCode === b.statusCode &&
  a.error === b.error &&
  a.node === b.node;

/**
 * One job's attempt can fail up to four times in a row (the in-request retries), and would fill
 * the card with the same line: neighbouring failures of the same job with the same error become
 * one entry with a count. Order (newest first) is kept.
 */
export function groupRecentFailures(failures: readonly RecentFailure[]): FailureGroup[] {
  const groups: FailureGroup[] = [];
  for (const failure of failures) {
    const last = groups[groups.length - 1];
    if (last && sameFailure(last, failure)) last.count += 1;
    else groups.push({ ...failure, count: 1 });
  }
  return groups;
}
