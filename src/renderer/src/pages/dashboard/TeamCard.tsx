import type { OpsSnapshot, TeamNodeSnapshot } from '../../../../shared/ops-snapshot';
import { Card } from '../../components/Card';
import { QueryState } from '../../components/QueryState';
import { RelativeTime } from '../../components/RelativeTime';
import { formatCount } from '../../format/numbers';
import { useSnapshot } from '../../hooks/use-ops';

const DATABASE_LABEL = { connecting: 'Connecting', up: 'Connected', unreachable: 'Unreachable' } as const;
const DATABASE_TONE = { connecting: 'tone-warn', up: 'tone-good', unreachable: 'tone-bad' } as const;

function NodeRow({ node, self, showDestination }: { node: TeamNodeSnapshot; self: boolean; showDestination: boolean }) {
  return (
    <tr data-testid="team-node" data-state={node.state} data-node={node.name}>
      <td>
        <strong>{node.name}</strong>
        {self ? <span className="muted"> (this console)</span> : null}
        <div className="muted small">
          {node.version === 'unknown' ? 'version unknown' : `v${node.version}`}
          {node.credentialsFrom === 'environment' ? ' · iCIMS credentials from its environment' : ''}
        </div>
        {showDestination && node.destination ? (
          <div className="muted small" data-testid="team-node-destination">
            sends to {node.destination}
          </div>
        ) : null}
      </td>
      <td>
        <span className={`badge ${node.state === 'active' ? 'tone-good' : 'tone-bad'}`}>
          {node.state === 'active' ? 'Active' : 'Lost'}
        </span>
        {node.worker ? null : <div className="muted small">sends nothing (SYNC_WORKER=off)</div>}
      </td>
      <td className="num">{formatCount(node.inFlight)}</td>
      <td className="num">{formatCount(node.callsLastMinute)}</td>
      <td>
        <RelativeTime iso={node.lastSeenAt} />
      </td>
    </tr>
  );
}

function TeamBody({ nodes, team }: Required<Pick<OpsSnapshot, 'nodes' | 'team'>>) {
  const active = nodes.filter((node) => node.state === 'active').length;
  // Settings are the team's, but an engine's environment may name another iCIMS.
  const destinations = new Set(
    nodes.filter((node) => node.state === 'active' && node.worker && node.destination).map((node) => node.destination),
  );
  const split = destinations.size > 1;
  return (
    <>
      <p className="card-footnote" data-testid="team-database" data-state={team.database.state}>
        Shared queue on PostgreSQL:{' '}
        <span className={`badge ${DATABASE_TONE[team.database.state]}`}>{DATABASE_LABEL[team.database.state]}</span>
        {team.database.state === 'unreachable' ? (
          <span className="muted"> · the engines cannot be listed until it is back (the banner above says more)</span>
        ) : (
          <span className="muted">
            {' '}
            · {active} of {nodes.length} {nodes.length === 1 ? 'engine' : 'engines'} active
          </span>
        )}
      </p>
      {team.readOnly ? (
        <p className="card-footnote muted" data-testid="team-read-only">
          This console: <span className="badge tone-info">Read-only</span> — its database role may only read the shared
          queue (the banner above says what that disables).
        </p>
      ) : null}
      {nodes.length === 0 ? null : (
        <table className="jobs-table team-table" data-testid="team-nodes">
          <thead>
            <tr>
              <th scope="col">Engine</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                In flight
              </th>
              <th scope="col" className="num">
                Calls/min
              </th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((node) => (
              <NodeRow key={node.name} node={node} self={node.name === team.node} showDestination={split} />
            ))}
          </tbody>
        </table>
      )}
      {split ? (
        <p className="callout warn" role="note" data-testid="team-destinations-differ">
          The engines send to {destinations.size} different iCIMS (an engine&apos;s environment sets its own{' '}
          <code>ICIMS_BASE_URL</code> or account). Each engine sends only the jobs made for its own iCIMS; a job waits
          while no engine sends to its iCIMS.
        </p>
      ) : null}
      <p className="card-footnote muted">
        A lost engine's jobs return to the queue after their lease and are checked in iCIMS before being sent again.
        Lost engines stay listed for 24 hours.
      </p>
    </>
  );
}

/** Team mode only: every engine sharing this queue. Renders nothing for a single console. */
export function TeamCard() {
  const query = useSnapshot();
  if (!query.data?.nodes || !query.data.team) return null;
  return (
    <Card title="Team" testId="team-card">
      <QueryState query={query} skeletonLines={3}>
        {({ nodes, team }) => (nodes && team ? <TeamBody nodes={nodes} team={team} /> : null)}
      </QueryState>
    </Card>
  );
}
