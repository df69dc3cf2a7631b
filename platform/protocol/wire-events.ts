import type { LeaveReason } from '../../business/chat/room-event.js';
import type { WireErrorCode } from './error-catalogue.js';

/**
 * The JSON frames a server sends, exactly as they appear on the wire. Every frame has an
 * `event_type`. Chatty's keys (`participant`, `text`) keep their meaning; keys may be added,
 * never renamed. docs/protocol.md documents each.
 */
export type WireEvent =
  | WireParticipantJoined
  | WireParticipantLeft
  | WireParticipantsChanged
  | WireMessage
  | WirePrivateMessage
  | WireParticipantRenamed
  | WireServerShuttingDown
  | WireErrorEvent
  | WireSession
  | WireAnnouncement
  | WireRoomClosed;

/** A notice from the server's operator to every connected client (`POST /admin/broadcast`). */
export interface WireAnnouncement {
  readonly event_type: 'announcement';
  readonly text: string;
  readonly at: string;
}

/** The room was deleted by the operator; the connection is closed next (4410). */
export interface WireRoomClosed {
  readonly event_type: 'room_closed';
  readonly room: string;
  readonly at: string;
}

/** The first event of a Server-Sent Events stream: the key that sends as this participant. */
export interface WireSession {
  readonly event_type: 'session';
  readonly session: string;
}

export interface WireParticipantJoined {
  readonly event_type: 'participant_joined';
  readonly participant: string;
  readonly room: string;
  readonly at: string;
  /** The client's address and port: only with `--announce-addresses`. */
  readonly address?: string;
  readonly port?: number;
}

export interface WireParticipantLeft {
  readonly event_type: 'participant_left';
  readonly participant: string;
  readonly room: string;
  readonly reason: LeaveReason;
  readonly at: string;
  readonly address?: string;
  readonly port?: number;
}

/** Joins and leaves in a big room, announced together (docs/protocol.md, "Big rooms"). */
export interface WireParticipantsChanged {
  readonly event_type: 'participants_changed';
  readonly room: string;
  readonly joined: readonly string[];
  readonly left: readonly string[];
  readonly at: string;
}

export interface WireMessage {
  readonly event_type: 'message';
  readonly id: string;
  readonly seq: number;
  readonly room: string;
  readonly participant: string;
  readonly text: string;
  readonly sent_at: string;
  /** Present (true) only on messages replayed from history to a joiner. */
  readonly history?: true;
}

/** Someone in the room took a new nickname (`/nick`). */
export interface WireParticipantRenamed {
  readonly event_type: 'participant_renamed';
  readonly room: string;
  readonly from: string;
  readonly to: string;
  readonly at: string;
}

/** A private message, to its recipient and (echoed) to its sender only. */
export interface WirePrivateMessage {
  readonly event_type: 'private_message';
  readonly id: string;
  readonly room: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly sent_at: string;
}

export interface WireServerShuttingDown {
  readonly event_type: 'server_shutting_down';
}

export interface WireErrorEvent {
  readonly event_type: 'error';
  readonly code: WireErrorCode;
  readonly message: string;
}
