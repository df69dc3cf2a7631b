import type { RoomEvent } from '../chat/room-event.js';

/** Receives the events of one room. Must not throw; must return quickly (no I/O waits). */
export type RoomEventListener = (event: RoomEvent) => void;

/** A listener's registration with the broker. */
export interface Subscription {
  /** Resolves once events published after this point are guaranteed to reach the listener. */
  readonly ready: Promise<void>;
  /** Stops delivery to this listener. Idempotent; never throws. */
  unsubscribe(): void;
}

/** Fans room events out to every node that has members in the room. */
export interface EventBroker {
  /**
   * Delivers the event to every listener subscribed to the room (on every node sharing the
   * broker), each exactly once. Events published by one process for one room reach each
   * listener in publish order. Never waits for listeners and never throws; an implementation
   * that loses its connection reports it through its own logging.
   */
  publish(roomId: string, event: RoomEvent): void;

  /**
   * Registers a listener for the room's events. Listeners may be called synchronously from
   * inside `publish`.
   */
  subscribe(roomId: string, listener: RoomEventListener): Subscription;

  /** Stops delivery to every listener and releases resources. */
  close(): Promise<void>;
}
