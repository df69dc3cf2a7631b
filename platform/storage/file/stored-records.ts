import { z } from 'zod';
import type { Message } from '../../../business/chat/message.js';
import type { Room } from '../../../business/chat/room.js';
import { isoTime } from '../../protocol/iso-time.js';

/**
 * The on-disk format, one JSON object per line (docs/decisions/0003-file-storage.md). It is
 * the storage's own and may differ from the wire format; new fields may be added, existing
 * ones never change meaning.
 */

/** Ids the store writes into file names: letters, digits, `_` and `-` only. */
export const SAFE_ID = /^[0-9A-Za-z_-]{1,64}$/;

const isoTimeField = z
  .string()
  .transform((text) => Date.parse(text))
  .refine((ms) => Number.isFinite(ms), 'not an ISO-8601 time');

const storedRoom = z.object({
  id: z.string().regex(SAFE_ID),
  name: z.string(),
  created_at: isoTimeField,
});

const storedMessage = z.object({
  id: z.string(),
  seq: z.number().int().positive(),
  participant: z.string(),
  text: z.string(),
  sent_at: isoTimeField,
});

/** One line of `rooms.jsonl`. */
export function encodeRoom(room: Room): string {
  const record = { id: room.id, name: room.name, created_at: isoTime(room.createdAt) };
  return `${JSON.stringify(record)}\n`;
}

/** The room a record holds, or undefined when the record is not a valid room. */
export function decodeRoom(record: unknown): Room | undefined {
  const parsed = storedRoom.safeParse(record);
  if (!parsed.success) return undefined;
  const { id, name, created_at } = parsed.data;
  return { id, name, createdAt: created_at };
}

/** One line of a room's message file (the room id is the file's name). */
export function encodeMessage(message: Message): string {
  const { id, seq, participant, text, sentAt } = message;
  return `${JSON.stringify({ id, seq, participant, text, sent_at: isoTime(sentAt) })}\n`;
}

/** The message a record holds, or undefined when the record is not a valid message. */
export function decodeMessage(roomId: string, record: unknown): Message | undefined {
  const parsed = storedMessage.safeParse(record);
  if (!parsed.success) return undefined;
  const { id, seq, participant, text, sent_at } = parsed.data;
  return { id, roomId, seq, participant, text, sentAt: sent_at };
}
