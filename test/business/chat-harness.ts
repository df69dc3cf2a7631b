import type { ChatDependencies } from '../../business/chat/chat-dependencies.js';
import { ChatService } from '../../business/chat/chat-service.js';
import type { MemberEvent } from '../../business/chat/room-event.js';
import { RoomService } from '../../business/chat/room-service.js';
import type { Outbox } from '../../business/ports/outbox.js';
import { MemoryEventBroker } from '../../platform/broker/memory-event-broker.js';
import { MemoryPresenceRegistry } from '../../platform/presence/memory-presence-registry.js';
import { MemoryMessageStore } from '../../platform/storage/memory/memory-message-store.js';
import { MemoryRoomRepository } from '../../platform/storage/memory/memory-room-repository.js';

/** An outbox that records what it is handed, for assertions. */
export class RecordingOutbox implements Outbox {
  readonly events: MemberEvent[] = [];

  deliver(event: MemberEvent): void {
    this.events.push(event);
  }

  /** A compact trace: `joined:Ann`, `message:3:hi`, `replayed:1:old`, `left:Ann`. */
  get trace(): string[] {
    return this.events.map((event) => {
      switch (event.type) {
        case 'participant_joined':
          return `joined:${event.participant}`;
        case 'participant_left':
          return `left:${event.participant}`;
        case 'message_posted':
          return `message:${event.message.seq}:${event.message.text}`;
        case 'message_replayed':
          return `replayed:${event.message.seq}:${event.message.text}`;
      }
    });
  }
}

/** Business services over in-memory adapters, with deterministic ids and time. */
export function chatHarness(overrides: Partial<ChatDependencies> = {}, historyOnJoin = 15) {
  let nextId = 0;
  const deps: ChatDependencies = {
    rooms: new MemoryRoomRepository(),
    messages: new MemoryMessageStore(1000),
    broker: new MemoryEventBroker(),
    presence: new MemoryPresenceRegistry(),
    ids: { next: () => `id${++nextId}` },
    clock: { now: () => 1_700_000_000_000 },
    ...overrides,
  };
  return {
    deps,
    chat: new ChatService(deps, { historyOnJoin }),
    rooms: new RoomService(deps),
  };
}
