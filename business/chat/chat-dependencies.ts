import type { Clock } from '../ports/clock.js';
import type { EventBroker } from '../ports/event-broker.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { MessageStore } from '../ports/message-store.js';
import type { PresenceRegistry } from '../ports/presence-registry.js';
import type { RoomRepository } from '../ports/room-repository.js';
import type { Timer } from '../ports/timer.js';

/** The ports the chat use cases need; the composition root supplies implementations. */
export interface ChatDependencies {
  readonly rooms: RoomRepository;
  readonly messages: MessageStore;
  readonly broker: EventBroker;
  readonly presence: PresenceRegistry;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly timer: Timer;
}
