import type { ChatDependencies } from '../../business/chat/chat-dependencies.js';
import { ChatService } from '../../business/chat/chat-service.js';
import type { MemberEvent } from '../../business/chat/room-event.js';
import { RoomService } from '../../business/chat/room-service.js';
import type { PresenceBatching } from '../../business/chat/room-hub.js';
import type { Outbox } from '../../business/ports/outbox.js';
import type { ScheduledTask, Timer } from '../../business/ports/timer.js';
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
        case 'participant_renamed':
          return `renamed:${event.from}>${event.to}`;
        case 'private_message':
          return `private:${event.from}>${event.to}:${event.text}`;
        case 'message_replayed':
          return `replayed:${event.message.seq}:${event.message.text}`;
        case 'participants_changed':
          return `changed:+${event.joined.join(',')}/-${event.left.join(',')}`;
      }
    });
  }
}

/** A timer that runs only when the test advances it. */
export class ManualTimer implements Timer {
  private now = 0;
  private tasks: { at: number; task: () => void; cancelled: boolean }[] = [];

  after(ms: number, task: () => void): ScheduledTask {
    const entry = { at: this.now + ms, task, cancelled: false };
    this.tasks.push(entry);
    return { cancel: () => (entry.cancelled = true) };
  }

  /** Tasks scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.tasks.filter((entry) => !entry.cancelled).length;
  }

  /** Moves time forward, running what fell due, in order. */
  advance(ms: number): void {
    this.now += ms;
    const due = this.tasks.filter((entry) => entry.at <= this.now);
    this.tasks = this.tasks.filter((entry) => entry.at > this.now);
    for (const entry of due) if (!entry.cancelled) entry.task();
  }
}

/** Presence batching that never applies unless a test asks for it. */
const NO_BATCHING: PresenceBatching = { above: 1_000_000, intervalMs: 1000 };

/** Business services over in-memory adapters, with deterministic ids, time and timer. */
export function chatHarness(
  overrides: Partial<ChatDependencies> = {},
  historyOnJoin = 15,
  presenceBatching = NO_BATCHING,
) {
  let nextId = 0;
  const deps: ChatDependencies = {
    rooms: new MemoryRoomRepository(),
    messages: new MemoryMessageStore(1000),
    broker: new MemoryEventBroker(),
    presence: new MemoryPresenceRegistry(),
    ids: { next: () => `id${++nextId}` },
    clock: { now: () => 1_700_000_000_000 },
    timer: new ManualTimer(),
    ...overrides,
  };
  const rooms = new RoomService(deps);
  return {
    deps,
    chat: new ChatService(deps, { historyOnJoin, presenceBatching }, rooms),
    rooms,
  };
}
