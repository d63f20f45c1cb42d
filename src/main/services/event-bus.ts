/** Typed fan-out of the contract's events to every subscriber (WebSocket clients, IPC, tests). */
import type { EventMap, EventMessage, EventName } from '../../shared/api/index.js';

/** Receives every event. */
export type EventSink = (message: EventMessage) => void;

/** A typed event bus. */
export class EventBus {
  private readonly sinks = new Set<EventSink>();

  /** Delivers an event to every subscriber; a throwing subscriber does not stop the others. */
  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    const message = { event, payload } as EventMessage;
    for (const sink of [...this.sinks]) {
      try {
        sink(message);
      } catch {
        // a subscriber's failure is its own business
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }
}
