import type { EventBroker, Subscription } from '../ports/event-broker.js';
import type { Member } from './member.js';
import type { RoomEvent } from './room-event.js';

interface LocalRoom {
  readonly members: Set<Member>;
  readonly subscription: Subscription;
}

/**
 * This node's members, by room. It subscribes to the broker once per room that has local
 * members, and hands each event to every one of them: the broker carries one copy per node,
 * not one per member.
 */
export class RoomHub {
  private readonly rooms = new Map<string, LocalRoom>();

  constructor(private readonly broker: EventBroker) {}

  /** Adds the member; resolves once the member is sure to receive every later room event. */
  async attach(member: Member): Promise<void> {
    const room = this.rooms.get(member.roomId) ?? this.open(member.roomId);
    room.members.add(member);
    await room.subscription.ready;
  }

  /** Removes the member; the room's subscription ends with its last local member. */
  detach(member: Member): void {
    const room = this.rooms.get(member.roomId);
    if (room === undefined || !room.members.delete(member)) return;
    if (room.members.size > 0) return;
    room.subscription.unsubscribe();
    this.rooms.delete(member.roomId);
  }

  /** Members of the room on this node. */
  membersOf(roomId: string): ReadonlySet<Member> {
    return this.rooms.get(roomId)?.members ?? new Set();
  }

  private open(roomId: string): LocalRoom {
    const members = new Set<Member>();
    const subscription = this.broker.subscribe(roomId, (event) => dispatch(members, event));
    const room = { members, subscription };
    this.rooms.set(roomId, room);
    return room;
  }
}

function dispatch(members: ReadonlySet<Member>, event: RoomEvent): void {
  for (const member of members) member.receive(event);
}
