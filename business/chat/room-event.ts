import type { Message } from './message.js';
import type { Origin } from './participant.js';

/** Why a participant left; carried in `participant_left` so clients can tell people why. */
export type LeaveReason =
  | 'quit'
  | 'disconnected'
  | 'ping_timeout'
  | 'idle_timeout'
  | 'slow_consumer'
  | 'overloaded'
  | 'protocol_error'
  | 'server_shutdown'
  | 'moved'
  | 'rate_limited'
  | 'token_expired'
  /** An operator disconnected the participant (`POST /admin/rooms/:id/kick`). */
  | 'kicked'
  /** An operator deleted the room (`DELETE /chat/:id`). */
  | 'room_closed';

/** Something that happened in a room, fanned out to everyone in it (on every node). */
export type RoomEvent =
  ParticipantJoined | ParticipantLeft | ParticipantRenamed | MessagePosted | PrivateMessageSent;

/** Someone took a new nickname (`/nick`). */
export interface ParticipantRenamed {
  readonly type: 'participant_renamed';
  readonly roomId: string;
  readonly from: string;
  readonly to: string;
  readonly at: number;
}

/**
 * A message from one participant to another, in the same room or anywhere on the server:
 * delivered to the two of them only (the sender gets it echoed), never stored. It is published
 * to the recipient's room and, when the sender is elsewhere, to the sender's too; in each, only
 * the member with `fromId` or `toId` receives it (whoever else shares a nickname there).
 */
export interface PrivateMessageSent {
  readonly type: 'private_message';
  readonly id: string;
  /** The room the recipient is in. */
  readonly roomId: string;
  readonly from: string;
  readonly fromId: string;
  readonly to: string;
  readonly toId: string;
  readonly text: string;
  readonly at: number;
}

export interface ParticipantJoined {
  readonly type: 'participant_joined';
  readonly roomId: string;
  /** For transports that show rooms by name (`* John joined #Lobby`). */
  readonly roomName: string;
  readonly participant: string;
  readonly at: number;
  readonly origin?: Origin;
  /** Who the room shows right after the join (see presentNames); absent in a big room. */
  readonly present?: readonly string[];
}

export interface ParticipantLeft {
  readonly type: 'participant_left';
  readonly roomId: string;
  readonly participant: string;
  readonly reason: LeaveReason;
  readonly at: number;
  readonly origin?: Origin;
  /** Who the room shows right after the leave (see presentNames); absent in a big room. */
  readonly present?: readonly string[];
}

export interface MessagePosted {
  readonly type: 'message_posted';
  readonly message: Message;
}

/**
 * Joins and leaves in a big room, announced together (see RoomHub): who joined and who left
 * since the last such event. Names may appear in both lists when someone came and went.
 */
export interface ParticipantsChanged {
  readonly type: 'participants_changed';
  readonly roomId: string;
  readonly joined: readonly string[];
  readonly left: readonly string[];
  readonly at: number;
}

/** A past message replayed to one joiner only, before live traffic. */
export interface MessageReplayed {
  readonly type: 'message_replayed';
  readonly message: Message;
}

/** Everything a member's connection can be handed: room events, batched presence, its replay. */
export type MemberEvent = RoomEvent | ParticipantsChanged | MessageReplayed;
