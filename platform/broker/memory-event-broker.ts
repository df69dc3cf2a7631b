import type { RoomEvent } from '../../business/chat/room-event.js';
import type {
  EventBroker,
  RoomEventListener,
  Subscription,
} from '../../business/ports/event-broker.js';

const READY: Promise<void> = Promise.resolve();

/**
 * The in-process broker: one node, synchronous delivery. Listeners run inside `publish`, so
 * per-room order is simply call order and there is no queue to grow.
 */
export class MemoryEventBroker implements EventBroker {
  private readonly listeners = new Map<string, Set<RoomEventListener>>();

  publish(roomId: string, event: RoomEvent): void {
    const listeners = this.listeners.get(roomId);
    if (listeners === undefined) return;
    for (const listener of listeners) listener(event);
  }

  subscribe(roomId: string, listener: RoomEventListener): Subscription {
    const listeners = this.listeners.get(roomId) ?? new Set<RoomEventListener>();
    this.listeners.set(roomId, listeners);
    const entry = (event: RoomEvent): void => listener(event);
    listeners.add(entry);
    return {
      ready: READY,
      unsubscribe: () => {
        listeners.delete(entry);
        if (listeners.size === 0 && this.listeners.get(roomId) === listeners) {
          this.listeners.delete(roomId);
        }
      },
    };
  }

  close(): Promise<void> {
    this.listeners.clear();
    return READY;
  }
}
