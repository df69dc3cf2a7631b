import type { Message } from '../../business/chat/message.js';
import type { MemberEvent } from '../../business/chat/room-event.js';
import type { WireErrorCode } from './error-catalogue.js';
import type { WireEvent, WireMessage } from './wire-events.js';
import type { RoomDetails, RoomPage } from '../../business/chat/room-service.js';
import { isoTime } from './iso-time.js';
import type { CommandReply } from '../../business/chat/command-runner.js';
import { historyPageView, roomDetailsView, roomSummaryView } from './rest-views.js';

/**
 * Maps a domain event to its wire form: the only place that knows both.
 * @example toWireEvent({ type: 'participant_joined', roomId: 'r', roomName: 'Lobby', participant: 'John', at: 0 })
 *   // { event_type: 'participant_joined', participant: 'John', room: 'r', at: '1970-…Z' }
 */
export function toWireEvent(event: MemberEvent): WireEvent {
  switch (event.type) {
    case 'message_posted':
      return wireMessage(event.message);
    case 'message_replayed':
      return { ...wireMessage(event.message), history: true };
    case 'participant_joined': // roomName: line transports only; WebSocket clients use the id
      return {
        event_type: 'participant_joined',
        participant: event.participant,
        room: event.roomId,
        at: isoTime(event.at),
        ...event.origin,
      };
    case 'participants_changed':
      return {
        event_type: 'participants_changed',
        room: event.roomId,
        joined: event.joined,
        left: event.left,
        at: isoTime(event.at),
      };
    case 'participant_renamed':
      return {
        event_type: 'participant_renamed',
        room: event.roomId,
        from: event.from,
        to: event.to,
        at: isoTime(event.at),
      };
    case 'private_message':
      return {
        event_type: 'private_message',
        id: event.id,
        room: event.roomId,
        from: event.from,
        to: event.to,
        text: event.text,
        sent_at: isoTime(event.at),
      };
    case 'participant_left':
      return {
        event_type: 'participant_left',
        participant: event.participant,
        room: event.roomId,
        reason: event.reason,
        at: isoTime(event.at),
        ...event.origin,
      };
  }
}

/** The JSON text of a domain event as sent to clients. */
export function encodeEvent(event: MemberEvent): string {
  return JSON.stringify(toWireEvent(event));
}

/**
 * The `rooms` frame: a page of rooms with their participant counts (as `GET /chat` lists them),
 * and how many rooms there are in all.
 */
export function encodeRoomList(page: RoomPage): string {
  return JSON.stringify({
    event_type: 'rooms',
    rooms: page.rooms.map(roomSummaryView),
    total: page.total,
  });
}

/** The `participants` frame: one room and who is in it (as `GET /chat/:id` shows it). */
export function encodeParticipants(room: RoomDetails): string {
  return JSON.stringify({ event_type: 'participants', ...roomDetailsView(room) });
}

/** The JSON text of a command's reply to the one who ran it (docs/protocol.md, "Commands"). */
export function encodeReply(reply: CommandReply): string {
  switch (reply.type) {
    case 'help':
      return JSON.stringify({ event_type: 'help', commands: reply.commands });
    case 'participants':
      return encodeParticipants(reply.room);
    case 'rooms':
      return encodeRoomList(reply.page);
    case 'history':
      return JSON.stringify({
        event_type: 'history',
        ...historyPageView(reply.roomId, reply.messages),
      });
    case 'quit':
      return JSON.stringify({ event_type: 'goodbye', reason: reply.reason });
    case 'ignored':
      return JSON.stringify({ event_type: 'ignored', nicknames: reply.nicknames });
    case 'moved':
      return JSON.stringify({
        event_type: 'joined_room',
        room: reply.membership.room.id,
        name: reply.membership.room.name,
      });
  }
}

/** The JSON text of an `error` frame. */
export function encodeError(code: WireErrorCode, message: string): string {
  return JSON.stringify({ event_type: 'error', code, message } satisfies WireEvent);
}

/** The JSON text of an SSE stream's first event, giving the key its client posts with. */
export function encodeSessionKey(key: string): string {
  return JSON.stringify({ event_type: 'session', session: key } satisfies WireEvent);
}

/** The JSON text of an `announcement` frame. */
export function encodeAnnouncement(text: string, at: number): string {
  return JSON.stringify({ event_type: 'announcement', text, at: isoTime(at) } satisfies WireEvent);
}

/** The JSON text of a `room_closed` frame. */
export function encodeRoomClosed(roomId: string, at: number): string {
  return JSON.stringify({
    event_type: 'room_closed',
    room: roomId,
    at: isoTime(at),
  } satisfies WireEvent);
}

/** The JSON text of the `server_shutting_down` frame. */
export function encodeShuttingDown(): string {
  return JSON.stringify({ event_type: 'server_shutting_down' } satisfies WireEvent);
}

function wireMessage(message: Message): WireMessage {
  return {
    event_type: 'message',
    id: message.id,
    seq: message.seq,
    room: message.roomId,
    participant: message.participant,
    text: message.text,
    sent_at: isoTime(message.sentAt),
  };
}
