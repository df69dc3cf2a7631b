import { z } from 'zod';
import { ADMIN_TEXT_MAX_LENGTH } from '../../business/admin/admin-service.js';
import {
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
  SEARCH_TEXT_MAX_LENGTH,
} from '../../business/admin/search-query.js';

/**
 * The admin API's bodies (docs/protocol.md, "Admin API"), as zod schemas: the views type their
 * answers by them and the OpenAPI document is generated from them, like rest-schemas.ts.
 */

const isoTime = z.iso.datetime().meta({ example: '2026-12-02T06:30:00.000Z' });
const roomId = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);

/** `POST /admin/broadcast` body. */
export const BroadcastBodySchema = z.looseObject({
  text: z.string().min(1).max(ADMIN_TEXT_MAX_LENGTH).meta({ description: 'The announcement' }),
});

/** `POST /admin/broadcast` answer. */
export const BroadcastSchema = z.object({
  text: z.string(),
  at: isoTime,
  recipients: z.int().min(0).meta({
    description: 'Clients sent the `announcement` (Chatrm and chattypantz clients are not)',
  }),
});

/** `DELETE /chat/:id` answer. */
export const DeletedRoomSchema = z.object({
  id: roomId,
  name: z.string(),
  disconnected: z.int().min(0).meta({ description: 'Participants told `room_closed` and closed' }),
});

/** `POST /admin/rooms/:id/kick` body. */
export const KickBodySchema = z.looseObject({
  participant: z.string().min(1).meta({ description: 'The nickname, exactly as spelt' }),
  reason: z.string().max(ADMIN_TEXT_MAX_LENGTH).optional().meta({
    description: 'Shown to the participant in the `kicked` error',
  }),
});

/** `POST /admin/rooms/:id/kick` answer. */
export const KickedSchema = z.object({ room: roomId, participant: z.string() });

/** `GET /admin/messages` query. */
export const MessageSearchQuerySchema = z.object({
  q: z.string().max(SEARCH_TEXT_MAX_LENGTH).optional().meta({
    description: 'Plain text the message contains, in any case (never a pattern); none = all',
  }),
  room: roomId.optional().meta({ description: 'Only this room' }),
  from: isoTime.optional().meta({ description: 'Only messages sent at or after' }),
  to: isoTime.optional().meta({ description: 'Only messages sent at or before' }),
  limit: z.int().min(1).max(SEARCH_LIMIT_MAX).default(SEARCH_LIMIT_DEFAULT),
  cursor: z.string().optional().meta({ description: 'The `next` of the previous answer' }),
});

/** One match of a search. */
export const FoundMessageSchema = z.object({
  id: z.string(),
  room: roomId,
  seq: z.int().min(1),
  participant: z.string(),
  text: z.string(),
  sent_at: isoTime,
});

/** `GET /admin/messages` answer. */
export const MessageSearchSchema = z.object({
  messages: z.array(FoundMessageSchema).max(SEARCH_LIMIT_MAX).meta({ description: 'Newest first' }),
  truncated: z.boolean().meta({
    description: 'A bound (bytes read, time) stopped the scan before the page was full',
  }),
  next: z.string().optional().meta({ description: 'Cursor for the next (older) results' }),
  scanned_bytes: z.int().min(0),
});

/** The admin schemas the OpenAPI document lists under `components.schemas`, by name. */
export const ADMIN_SCHEMAS = {
  BroadcastBody: BroadcastBodySchema,
  Broadcast: BroadcastSchema,
  DeletedRoom: DeletedRoomSchema,
  KickBody: KickBodySchema,
  Kicked: KickedSchema,
  FoundMessage: FoundMessageSchema,
  MessageSearch: MessageSearchSchema,
} as const;

export type BroadcastBody = z.infer<typeof BroadcastSchema>;
export type DeletedRoomBody = z.infer<typeof DeletedRoomSchema>;
export type KickedBody = z.infer<typeof KickedSchema>;
export type MessageSearchBody = z.infer<typeof MessageSearchSchema>;
