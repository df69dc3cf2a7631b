import type { Announcement, DeletedRoom } from '../../business/admin/admin-service.js';
import type { SearchAnswer } from '../../business/admin/message-search.js';
import type {
  BroadcastBody,
  DeletedRoomBody,
  KickedBody,
  MessageSearchBody,
} from './admin-schemas.js';
import { isoTime } from './iso-time.js';

/** `POST /admin/broadcast` answer. */
export function broadcastView(announcement: Announcement): BroadcastBody {
  const { text, at, recipients } = announcement;
  return { text, at: isoTime(at), recipients };
}

/** `DELETE /chat/:id` answer. */
export function deletedRoomView({ room, disconnected }: DeletedRoom): DeletedRoomBody {
  return { id: room.id, name: room.name, disconnected };
}

/** `POST /admin/rooms/:id/kick` answer. */
export function kickedView(roomId: string, participant: string): KickedBody {
  return { room: roomId, participant };
}

/** `GET /admin/messages` answer: the matches newest first, and where to go on. */
export function messageSearchView(answer: SearchAnswer): MessageSearchBody {
  return {
    messages: answer.messages.map((m) => ({
      id: m.id,
      room: m.roomId,
      seq: m.seq,
      participant: m.participant,
      text: m.text,
      sent_at: isoTime(m.sentAt),
    })),
    truncated: answer.truncated,
    ...(answer.next !== undefined && { next: answer.next }),
    scanned_bytes: answer.scannedBytes,
  };
}
