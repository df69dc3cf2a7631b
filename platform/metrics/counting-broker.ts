import { performance } from 'node:perf_hooks';
import { Histogram } from 'prom-client';
import type { RoomEvent } from '../../business/chat/room-event.js';
import type {
  EventBroker,
  ResumeListener,
  RoomEventListener,
  Subscription,
} from '../../business/ports/event-broker.js';

/**
 * The event broker, counting the room messages published through it (messages in, on this
 * node) and timing their fan-out: the in-process broker hands a message to every local member
 * before `publish` returns, so its duration is the time from stored to written to every
 * member's socket buffer. Everything else passes straight through.
 */
export class CountingBroker implements EventBroker {
  /** Room messages published (posted by any client of this node). */
  messages = 0;
  /** Seconds from a message's publication to its last local delivery (registered by createMetrics). */
  readonly fanoutSeconds = new Histogram({
    name: 'parley_fanout_seconds',
    help: 'Time to hand one room message to every member on this node',
    buckets: [0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
    registers: [],
  });

  constructor(private readonly inner: EventBroker) {}

  publish(roomId: string, event: RoomEvent): void {
    if (event.type !== 'message_posted') {
      this.inner.publish(roomId, event);
      return;
    }
    this.messages++;
    const start = performance.now();
    this.inner.publish(roomId, event);
    this.fanoutSeconds.observe((performance.now() - start) / 1000);
  }

  subscribe(roomId: string, listener: RoomEventListener, onResume?: ResumeListener): Subscription {
    return this.inner.subscribe(roomId, listener, onResume);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
