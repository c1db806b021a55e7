import type { Engine, EngineOptions } from './engine-types';

/** Composition root. Being built: the lead wires store, client, worker and ops here. */
export async function createEngine(_options: EngineOptions): Promise<Engine> {
  throw new Error('createEngine is not implemented yet');
}
