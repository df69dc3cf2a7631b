import type { RoomEvent } from '../../business/chat/room-event.js';
import type {
  EventBroker,
  RoomEventListener,
  Subscription,
} from '../../business/ports/event-broker.js';
import { createLogger, type Logger } from '../logging/logger.js';

const READY: Promise<void> = Promise.resolve();

/**
 * The in-process broker: one node, synchronous delivery. Listeners run inside `publish`, so
 * per-room order is simply call order and there is no queue to grow.
 */
export class MemoryEventBroker implements EventBroker {
  private readonly listeners = new Map<string, Set<RoomEventListener>>();
  private closed = false;

  /** `logger` hears about listeners that throw; without one, they are logged to stderr. */
  constructor(private logger?: Logger) {}

  publish(roomId: string, event: RoomEvent): void {
    const listeners = this.listeners.get(roomId);
    if (listeners === undefined) return;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        this.listenerThrew(roomId, error);
      }
    }
  }

  subscribe(roomId: string, listener: RoomEventListener): Subscription {
    if (this.closed) return refused();
    const listeners = this.listeners.get(roomId) ?? new Set<RoomEventListener>();
    this.listeners.set(roomId, listeners);
    const entry = (event: RoomEvent): void => listener(event); // one entry per subscription
    listeners.add(entry);
    return {
      ready: READY,
      unsubscribe: () => {
        listeners.delete(entry); // a Set being iterated skips it from now on
        if (listeners.size === 0 && this.listeners.get(roomId) === listeners) {
          this.listeners.delete(roomId);
        }
      },
    };
  }

  // Emptying each set, not only the map, also stops a delivery that is under way.
  close(): Promise<void> {
    this.closed = true;
    for (const listeners of this.listeners.values()) listeners.clear();
    this.listeners.clear();
    return READY;
  }

  // The fallback logger is made only when a listener first throws: that is a bug, not a cost.
  private listenerThrew(roomId: string, error: unknown): void {
    this.logger ??= createLogger('error', '');
    this.logger.error({ err: error, roomId }, 'a room event listener threw; delivery goes on');
  }
}

// Rejects for whoever awaits it, without counting as unhandled for a caller that does not.
function refused(): Subscription {
  const ready = Promise.reject(new Error('event broker is closed'));
  ready.catch(() => undefined);
  return { ready, unsubscribe: () => undefined };
}
