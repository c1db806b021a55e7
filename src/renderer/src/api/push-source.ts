import type { PushEvent } from '../../../shared/console-api';
import type { ObservableValue } from './observable-value';

/** `live`: pushes arrive. `connecting`: first connection. `reconnecting`: lost, trying again. */
export type PushConnectionState = 'connecting' | 'live' | 'reconnecting';

/**
 * The main process telling the renderer "this domain changed". `resync` fires after a lost
 * connection came back: pushes may have been missed, so everything should be refetched.
 */
export interface PushSource {
  readonly state: ObservableValue<PushConnectionState>;
  subscribe(listener: (event: PushEvent) => void): () => void;
  onResync(listener: () => void): () => void;
}
