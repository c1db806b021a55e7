import { useSyncExternalStore } from 'react';
import { useConsoleConnection } from '../api/console-context';

const LABELS = { live: 'Live updates', connecting: 'Connecting…', reconnecting: 'Reconnecting…' } as const;
const TITLES = {
  live: 'Updates arrive as they happen.',
  connecting: 'Connecting to the console server for live updates.',
  reconnecting: 'Live updates were interrupted; trying again. Data refreshes every few seconds meanwhile.',
} as const;

export function LiveIndicator() {
  const { push } = useConsoleConnection();
  const state = useSyncExternalStore(push.state.subscribe, push.state.get);
  return (
    <span
      className={`live-indicator ${state}`}
      role="status"
      title={TITLES[state]}
      data-testid="live-indicator"
      data-state={state}
    >
      <span className="live-dot" aria-hidden="true" />
      {LABELS[state]}
    </span>
  );
}
