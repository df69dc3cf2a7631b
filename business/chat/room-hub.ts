import type { Clock } from '../ports/clock.js';
import type { EventBroker, Subscription } from '../ports/event-broker.js';
import type { ScheduledTask, Timer } from '../ports/timer.js';
import type { Member } from './member.js';
import { RoomSequencer, type HistoryReader } from './room-sequencer.js';
import type { ParticipantJoined, ParticipantLeft, RoomEvent } from './room-event.js';

/**
 * When joins and leaves are announced together. In a room with many members, announcing every
 * join to everyone costs N² frames (10,000 joiners: 50 million); above the threshold, others'
 * joins and leaves are gathered and sent as one `participants_changed` per interval instead.
 */
export interface PresenceBatching {
  /** Rooms with more local members than this get batched presence. */
  readonly above: number;
  readonly intervalMs: number;
}

interface PendingPresence {
  readonly joined: string[];
  readonly left: string[];
  readonly task: ScheduledTask;
}

interface LocalRoom {
  readonly roomId: string;
  readonly members: Set<Member>;
  /**
   * By nickname exactly as spelt: events name participants the way they spell themselves, and no
   * two members of a room share a spelling, so routing needs no nickname keys.
   */
  readonly byName: Map<string, Member>;
  /** By member id: a private message names its two members, whatever their nicknames. */
  readonly byMemberId: Map<string, Member>;
  readonly subscription: Subscription;
  /** Puts the room's messages in seq order (absent in unit tests that give no history). */
  readonly sequencer: RoomSequencer | undefined;
  /** Resolves once the subscription is ready and the sequencer knows where the room is. */
  readonly ready: Promise<void>;
  pending: PendingPresence | undefined;
}

/**
 * This node's members, by room. It subscribes to the broker once per room that has local
 * members, and hands each event to every one of them: the broker carries one copy per node,
 * not one per member.
 */
export class RoomHub {
  private readonly rooms = new Map<string, LocalRoom>();

  constructor(
    private readonly broker: EventBroker,
    private readonly timer: Timer,
    private readonly clock: Clock,
    private readonly batching: PresenceBatching,
    /** Where gaps in a room's messages are filled from (see RoomSequencer). */
    private readonly history?: HistoryReader,
  ) {}

  /** Adds the member; resolves once the member is sure to receive every later room event. */
  async attach(member: Member): Promise<void> {
    const room = this.rooms.get(member.roomId) ?? this.open(member.roomId);
    room.members.add(member);
    room.byName.set(member.name, member);
    room.byMemberId.set(member.participant.memberId, member);
    await room.ready;
  }

  /** Re-files the member under its new nickname (after Member.rename). */
  renamed(member: Member, oldName: string): void {
    const room = this.rooms.get(member.roomId);
    if (room === undefined) return;
    if (room.byName.get(oldName) === member) room.byName.delete(oldName);
    room.byName.set(member.name, member);
  }

  /** Removes the member; the room's subscription ends with its last local member. */
  detach(member: Member): void {
    const room = this.rooms.get(member.roomId);
    if (room === undefined || !room.members.delete(member)) return;
    if (room.byName.get(member.name) === member) room.byName.delete(member.name);
    room.byMemberId.delete(member.participant.memberId);
    if (room.members.size > 0) return;
    room.pending?.task.cancel();
    room.sequencer?.close();
    room.subscription.unsubscribe();
    this.rooms.delete(member.roomId);
  }

  /** Members of the room on this node. */
  membersOf(roomId: string): ReadonlySet<Member> {
    return this.rooms.get(roomId)?.members ?? new Set();
  }

  // Every event goes through the room's sequencer, which hands it on in seq order; the
  // sequencer reads where the room is only once the subscription is sure to see what follows.
  private open(roomId: string): LocalRoom {
    const history = this.history;
    const sequencer =
      history &&
      new RoomSequencer(roomId, history, this.timer, (event) => this.dispatch(room, event));
    const subscription = this.broker.subscribe(
      roomId,
      (event) => (sequencer ? sequencer.receive(event) : this.dispatch(room, event)),
      () => sequencer?.catchUp(),
    );
    const ready = subscription.ready.then(() => sequencer?.start());
    ready.catch(() => undefined); // whoever attaches is told; no one else need be
    const room: LocalRoom = {
      roomId,
      members: new Set(),
      byName: new Map(),
      byMemberId: new Map(),
      subscription,
      sequencer,
      ready,
      pending: undefined,
    };
    this.rooms.set(roomId, room);
    return room;
  }

  // While a batch is pending, every join and leave goes into it, even if the room has shrunk:
  // announcing a leave before the batch that announces the join would be out of order.
  private dispatch(room: LocalRoom, event: RoomEvent): void {
    if (event.type === 'private_message') {
      const sender = room.byMemberId.get(event.fromId);
      const recipient = room.byMemberId.get(event.toId);
      recipient?.receive(event);
      if (sender !== recipient) sender?.receive(event);
      return;
    }
    const big = room.pending !== undefined || room.members.size > this.batching.above;
    const presence = event.type === 'participant_joined' || event.type === 'participant_left';
    if (presence && big) {
      this.gather(room, event);
      return;
    }
    for (const member of room.members) member.receive(event);
  }

  private gather(room: LocalRoom, event: ParticipantJoined | ParticipantLeft): void {
    room.pending ??= {
      joined: [],
      left: [],
      task: this.timer.after(this.batching.intervalMs, () => this.announce(room)),
    };
    if (event.type === 'participant_left') {
      room.pending.left.push(event.participant);
      return;
    }
    room.pending.joined.push(event.participant);
    room.byName.get(event.participant)?.receive(event); // a joiner hears its own join at once
  }

  private announce(room: LocalRoom): void {
    const pending = room.pending;
    room.pending = undefined;
    if (pending === undefined) return;
    const { joined, left } = pending;
    const event = {
      type: 'participants_changed',
      roomId: room.roomId,
      joined,
      left,
      at: this.clock.now(),
    } as const;
    for (const member of room.members) member.receive(event);
  }
}
