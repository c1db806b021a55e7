import { Card } from '../../components/Card';
import { QueryState } from '../../components/QueryState';
import { useIssues } from '../../hooks/use-issues';
import { IssueItem } from './IssueItem';

/** Problems that last until solved: open and snoozed first, then what was resolved this week. */
export function IssuesPage() {
  const query = useIssues();
  return (
    <>
      <h1 className="page-title">Issues</h1>
      <QueryState query={query} skeletonLines={6}>
        {(list) => {
          const live = list.issues.filter((issue) => issue.state !== 'resolved');
          const resolved = list.issues.filter((issue) => issue.state === 'resolved');
          return (
            <div className="stack">
              <Card
                title="Open issues"
                testId="open-issues"
                aside={list.openCount > 0 ? <span className="count-pill">{list.openCount}</span> : null}
              >
                {live.length === 0 ? (
                  <p className="empty-state compact">
                    No open issues. Problems the console notices appear here until they are solved.
                  </p>
                ) : (
                  <ul className="issues">
                    {live.map((issue) => (
                      <IssueItem key={issue.id} issue={issue} />
                    ))}
                  </ul>
                )}
              </Card>
              <Card title="Resolved in the last 7 days" testId="resolved-issues">
                {resolved.length === 0 ? (
                  <p className="empty-state compact">Nothing resolved this week.</p>
                ) : (
                  <ul className="issues">
                    {resolved.map((issue) => (
                      <IssueItem key={issue.id} issue={issue} />
                    ))}
                  </ul>
                )}
              </Card>
            </div>
          );
        }}
      </QueryState>
    </>
  );
}
