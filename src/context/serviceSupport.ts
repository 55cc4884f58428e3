// Pieces both context services share: change events and id hygiene.
import type { Logger } from '../shared/contextModel';
import { isValidFeatureId } from '../shared/contextProtocol';

/** A change listener: the feature ids whose context or freshness changed. */
export type Listener = (featureIds: readonly string[]) => void;

/** Change events; a throwing listener is logged and does not stop the others. */
export class Emitter {
  private readonly listeners = new Set<Listener>();
  constructor(private readonly log: Logger) {}
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  fire(ids: readonly string[]): void {
    if (ids.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(ids);
      } catch (error) {
        this.log.error(`context change listener failed error=${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/** The ids worth asking about: each once, and only those that can travel in `?features=`. */
export function uniqueIds(ids: readonly string[], log: Logger): string[] {
  const result: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (isValidFeatureId(id)) result.push(id);
    else log.warn(`context lookup skipped id=${JSON.stringify(id.slice(0, 80))} reason=not a valid feature id (1-128 characters, no spaces or commas)`);
  }
  return result;
}
