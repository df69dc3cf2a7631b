import type { RoomEvent } from '../chat/room-event.js';

/**
 * Receives the events of one room. Must not throw and must return quickly (no I/O waits); must
 * treat the event as read-only (other listeners may be handed the same object); and must not
 * publish from inside the call: an in-process broker would deliver that event to the remaining
 * listeners before the one being delivered, breaking publish order.
 */
export type RoomEventListener = (event: RoomEvent) => void;

/**
 * Told that a subscription may have missed events: the broker lost its connection and has
 * subscribed again (events published meanwhile may not have reached the listener, which may
 * catch up from storage). Must not throw. An in-process broker never calls it.
 */
export type ResumeListener = () => void;

/** A listener's registration with the broker: one per `subscribe` call. */
export interface Subscription {
  /**
   * Resolves once every event published to the room from then on, by any node, is sure to
   * reach the listener; events published before it resolves may or may not (there is no
   * replay). Rejects when the subscription cannot be made: the broker is closed.
   */
  readonly ready: Promise<void>;
  /**
   * Stops delivery to this listener at once: once it returns, no event (not even one already
   * on its way from another node) is handed to the listener. Affects this subscription only.
   * Idempotent; never throws, also after `close`.
   */
  unsubscribe(): void;
}

/**
 * Fans room events out to every node that has members in the room.
 *
 * Delivery may be synchronous (in-process: listeners run inside `publish`) or not (a broker
 * over the network delivers later, on another turn); callers must not rely on either. Room ids
 * are opaque strings: rooms whose ids differ are never confused, whatever characters the ids
 * hold (a Redis broker must not use pattern subscriptions or separators an id can contain).
 * Each listener receives an event equal to the one published, field for field: a copy when it
 * crossed the network (events are plain JSON data), possibly the very object in-process.
 */
export interface EventBroker {
  /**
   * Delivers the event to every listener subscribed to the room, on every node sharing the
   * broker: at most once per subscription, and exactly once while the implementation is
   * connected. Order is per publisher (one broker instance) per room: a listener receives one
   * publisher's events for a room in publish order; nothing is promised between rooms or
   * between publishers. Never waits for listeners and never throws; a listener that throws
   * does not stop delivery to the others, stays subscribed, and is reported through the
   * implementation's logging. An implementation that loses its connection logs it, and
   * events published meanwhile may be lost; once reconnected it delivers again to every
   * subscription still open. After `close`, does nothing.
   */
  publish(roomId: string, event: RoomEvent): void;

  /**
   * Registers the listener for the room's events, as a subscription of its own: a listener
   * subscribed twice receives each event twice. Never throws; after `close`, the
   * subscription's `ready` rejects and it delivers nothing. `onResume`, when given, is called
   * each time delivery resumes after a loss of connection (see ResumeListener).
   */
  subscribe(roomId: string, listener: RoomEventListener, onResume?: ResumeListener): Subscription;

  /**
   * Stops delivery to every listener and releases resources. Idempotent: a second call
   * resolves too.
   */
  close(): Promise<void>;
}
