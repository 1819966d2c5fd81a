/** The core's event bus: services emit typed events, hosts forward them to their UIs. */
import type { EventName, EventPayload, RpcEvent } from '../../../shared/contract';

export type EventListener = (event: RpcEvent) => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener({ event, payload });
      } catch {
        // A broken UI connection must not stop the others from hearing the event.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
