import { z } from 'zod';
import type { Message } from '../../../business/chat/message.js';
import { STORABLE_ROOM_ID, type Room } from '../../../business/chat/room.js';
import { isoTime } from '../../protocol/iso-time.js';

/**
 * The on-disk format, one JSON object per line (docs/decisions/0003-file-storage.md). It is
 * the storage's own and may differ from the wire format; new fields may be added, existing
 * ones never change meaning.
 */

// Times are checked after the schema (timeOf), not by a zod transform: a transform makes
// parsing ten times slower, and a start-up may decode millions of rooms.
const storedRoom = z.object({
  id: z.string().regex(STORABLE_ROOM_ID), // room ids become file names
  name: z.string(),
  created_at: z.string(),
});

const storedMessage = z.object({
  id: z.string(),
  seq: z.number().int().positive(),
  participant: z.string(),
  text: z.string(),
  sent_at: z.string(),
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
  const createdAt = timeOf(created_at);
  return createdAt === undefined ? undefined : { id, name, createdAt };
}

const storedDeletion = z.object({
  deleted: z.string().regex(STORABLE_ROOM_ID),
  deleted_at: z.string(),
});

/** The line of `rooms.jsonl` that deletes a room (a tombstone: the id is never used again). */
export function encodeRoomDeletion(roomId: string, deletedAt: number): string {
  return `${JSON.stringify({ deleted: roomId, deleted_at: isoTime(deletedAt) })}\n`;
}

/** The id a tombstone record deletes, or undefined when the record is not a tombstone. */
export function decodeRoomDeletion(record: unknown): string | undefined {
  const parsed = storedDeletion.safeParse(record);
  return parsed.success ? parsed.data.deleted : undefined;
}

/** One line of a room's message file (the room id is the file's name). */
export function encodeMessage(message: Message): string {
  const { id, seq, participant, text, sentAt } = message;
  return `${JSON.stringify({ id, seq, participant, text, sent_at: isoTime(sentAt) })}\n`;
}

/** The lines of several messages, ready to append, and each line's length in bytes. */
export interface EncodedLines {
  readonly bytes: Buffer;
  readonly lengths: number[];
}

/** Encodes each message's line once, into one buffer, keeping each line's byte length. */
export function encodeMessageLines(
  messages: readonly { readonly message: Message }[],
): EncodedLines {
  const lines = messages.map(({ message }) => encodeMessage(message));
  const lengths = lines.map((line) => Buffer.byteLength(line));
  const bytes = Buffer.allocUnsafe(lengths.reduce((sum, length) => sum + length, 0));
  lines.reduce((at, line) => at + bytes.write(line, at), 0);
  return { bytes, lengths };
}

/** The message a record holds, or undefined when the record is not a valid message. */
export function decodeMessage(roomId: string, record: unknown): Message | undefined {
  const parsed = storedMessage.safeParse(record);
  if (!parsed.success) return undefined;
  const { id, seq, participant, text, sent_at } = parsed.data;
  const sentAt = timeOf(sent_at);
  return sentAt === undefined ? undefined : { id, roomId, seq, participant, text, sentAt };
}

/** Milliseconds since the epoch of an ISO-8601 time, or undefined when it is not one. */
function timeOf(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}
