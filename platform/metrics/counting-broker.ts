import type { RoomEvent } from '../../business/chat/room-event.js';
import type {
  EventBroker,
  RoomEventListener,
  Subscription,
} from '../../business/ports/event-broker.js';

/**
 * The event broker, counting the room messages published through it (messages in, on this
 * node). Everything else passes straight through.
 */
export class CountingBroker implements EventBroker {
  /** Room messages published (posted by any client of this node). */
  messages = 0;

  constructor(private readonly inner: EventBroker) {}

  publish(roomId: string, event: RoomEvent): void {
    if (event.type === 'message_posted') this.messages++;
    this.inner.publish(roomId, event);
  }

  subscribe(roomId: string, listener: RoomEventListener): Subscription {
    return this.inner.subscribe(roomId, listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
