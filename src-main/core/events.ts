// The core's typed event bus. Shells subscribe once and forward every event to their UIs.
import type { EventMap, EventName } from '../../src-preload/contract';

export type EventListener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export class CoreEvents {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch {
        // A failing UI transport must never break the core; the transport reports its own errors.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
