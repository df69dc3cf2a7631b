import type { Message } from '../../business/chat/message.js';
import type { Room } from '../../business/chat/room.js';
import { isoTime } from './iso-time.js';
import type { RoomDetails, RoomSummary } from '../../business/chat/room-service.js';
import type { WireErrorCode } from './error-catalogue.js';
import type {
  CreatedRoomBody,
  ErrorBody,
  HistoryPageBody,
  RoomDetailsBody,
  RoomSummaryBody,
} from './rest-schemas.js';

/** `POST /chat` answer: Chatty's exact shape. */
export function createdRoomView(room: Room): CreatedRoomBody {
  return { id: room.id, name: room.name };
}

/** One entry of `GET /chat`. */
export function roomSummaryView(room: RoomSummary): RoomSummaryBody {
  return {
    id: room.id,
    name: room.name,
    participants: room.participantCount,
    created_at: new Date(room.createdAt).toISOString(),
  };
}

/** `GET /chat/:id`: the room, who is in it (the first 1,000) and how many there are. */
export function roomDetailsView(room: RoomDetails): RoomDetailsBody {
  return {
    id: room.id,
    name: room.name,
    created_at: new Date(room.createdAt).toISOString(),
    participants: room.participants.map((p) => ({
      name: p.name,
      joined_at: new Date(p.joinedAt).toISOString(),
    })),
    participant_count: room.participantCount,
  };
}

/**
 * `GET /chat/:id/messages`: a page of history, oldest first, each message with the keys of
 * the WebSocket `message` event (without `event_type`).
 */
export function historyPageView(roomId: string, messages: readonly Message[]): HistoryPageBody {
  return {
    room: roomId,
    messages: messages.map((m) => ({
      id: m.id,
      seq: m.seq,
      participant: m.participant,
      text: m.text,
      sent_at: isoTime(m.sentAt),
    })),
  };
}

/** The body of every HTTP error answer. */
export function errorView(code: WireErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}
