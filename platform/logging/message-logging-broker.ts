import type { RoomEvent } from '../../business/chat/room-event.js';
import type {
  EventBroker,
  ResumeListener,
  RoomEventListener,
  Subscription,
} from '../../business/ports/event-broker.js';
import type { Logger } from './logger.js';

/**
 * `--log-messages`: the event broker, logging each room message published through it with its
 * text. Off by default, so that logs (often shipped and kept elsewhere) hold no message content;
 * the audit log is where content is kept.
 */
export class MessageLoggingBroker implements EventBroker {
  constructor(
    private readonly inner: EventBroker,
    private readonly logger: Logger,
  ) {}

  publish(roomId: string, event: RoomEvent): void {
    if (event.type === 'message_posted') {
      const { seq, participant, text } = event.message;
      this.logger.info({ room: roomId, seq, participant, text }, 'message');
    }
    this.inner.publish(roomId, event);
  }

  subscribe(roomId: string, listener: RoomEventListener, onResume?: ResumeListener): Subscription {
    return this.inner.subscribe(roomId, listener, onResume);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
