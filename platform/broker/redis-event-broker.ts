import type { Redis } from 'ioredis';
import type { RoomEvent } from '../../business/chat/room-event.js';
import type {
  EventBroker,
  ResumeListener,
  RoomEventListener,
  Subscription,
} from '../../business/ports/event-broker.js';
import type { Logger } from '../logging/logger.js';
import { RedisKeys } from '../storage/redis/redis-keys.js';

/** One subscription: its listener, and who to tell when delivery resumes. */
interface Entry {
  readonly listener: RoomEventListener;
  readonly onResume: ResumeListener | undefined;
}

/** This node's subscriptions to one room's channel. */
interface Channel {
  readonly roomId: string;
  readonly entries: Set<Entry>;
  /** Resolves once Redis acknowledged the SUBSCRIBE. */
  readonly ready: Promise<void>;
}

/**
 * Fan-out between nodes through Redis Pub/Sub (docs/decisions/0013-redis-fan-out.md): one
 * channel per room, subscribed once per node that has members there (the hub subscribes once
 * per room, so Redis carries each event once per node).
 *
 * Every delivery goes through Redis, this node's own included: all nodes receive a room's
 * events in the order Redis ran the PUBLISHes, and while Redis is away nobody is delivered
 * anything "locally only". Publishes made meanwhile wait in the publisher connection's queue
 * and go out, in order, once it is back; a node whose subscriber connection was lost
 * resubscribes, then tells its subscriptions (`onResume`) so they can catch up from history.
 */
export class RedisEventBroker implements EventBroker {
  private readonly channels = new Map<string, Channel>();
  private closed = false;
  private lost = false;

  /** The connections are the node's (see RedisConnections): the broker does not close them. */
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {
    subscriber.on('message', this.onMessage);
    subscriber.on('close', this.onClose);
    subscriber.on('ready', this.onReady);
  }

  publish(roomId: string, event: RoomEvent): void {
    if (this.closed) return;
    const channel = RedisKeys.roomChannel(roomId);
    this.publisher.publish(channel, JSON.stringify(event)).catch((error: unknown) => {
      this.logger.warn({ err: error, roomId, event: event.type }, 'a room event was not published');
    });
  }

  subscribe(roomId: string, listener: RoomEventListener, onResume?: ResumeListener): Subscription {
    if (this.closed) return refused();
    const name = RedisKeys.roomChannel(roomId);
    const channel = this.channels.get(name) ?? this.open(name, roomId);
    const entry: Entry = { listener, onResume };
    channel.entries.add(entry);
    return {
      ready: channel.ready,
      unsubscribe: () => {
        if (!channel.entries.delete(entry) || channel.entries.size > 0) return;
        if (this.channels.get(name) !== channel) return;
        this.channels.delete(name);
        if (!this.closed) this.subscriber.unsubscribe(name).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const names = [...this.channels.keys()];
    for (const channel of this.channels.values()) channel.entries.clear();
    this.channels.clear();
    this.subscriber.off('message', this.onMessage);
    this.subscriber.off('close', this.onClose);
    this.subscriber.off('ready', this.onReady);
    if (names.length > 0) await this.subscriber.unsubscribe(...names).catch(() => undefined);
  }

  private open(name: string, roomId: string): Channel {
    const ready = this.subscriber.subscribe(name).then(() => undefined);
    const channel: Channel = { roomId, entries: new Set(), ready };
    ready.catch((error: unknown) => {
      this.logger.warn({ err: error, roomId }, 'could not subscribe to a room');
    });
    this.channels.set(name, channel);
    return channel;
  }

  // A Set being iterated skips entries deleted meanwhile: an unsubscribe stops delivery at once.
  private readonly onMessage = (name: string, payload: string): void => {
    const channel = this.channels.get(name);
    if (channel === undefined) return;
    const event = JSON.parse(payload) as RoomEvent;
    for (const entry of channel.entries) {
      try {
        entry.listener(event);
      } catch (error) {
        this.logger.error({ err: error, roomId: channel.roomId }, 'a room event listener threw');
      }
    }
  };

  private readonly onClose = (): void => {
    this.lost = true;
  };

  // Subscribes again itself (and waits for Redis to acknowledge) before telling subscriptions
  // to catch up: whatever is published after that point is sure to arrive.
  private readonly onReady = (): void => {
    if (!this.lost || this.closed) return;
    this.lost = false;
    const names = [...this.channels.keys()];
    if (names.length === 0) return;
    this.subscriber
      .subscribe(...names)
      .then(() => this.resumed(names))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not resubscribe'));
  };

  private resumed(names: readonly string[]): void {
    for (const name of names) {
      for (const entry of this.channels.get(name)?.entries ?? []) {
        try {
          entry.onResume?.();
        } catch (error) {
          this.logger.error({ err: error }, 'a resume listener threw');
        }
      }
    }
  }
}

// Rejects for whoever awaits it, without counting as unhandled for a caller that does not.
function refused(): Subscription {
  const ready = Promise.reject(new Error('event broker is closed'));
  ready.catch(() => undefined);
  return { ready, unsubscribe: () => undefined };
}
