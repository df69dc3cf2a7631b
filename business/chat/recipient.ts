import type { PresenceRegistry } from '../ports/presence-registry.js';
import { storageUnavailable } from './storage-unavailable.js';
import type { RoomRepository } from '../ports/room-repository.js';
import { ChatError } from './chat-error.js';
import { DIRECT_ROOM, isDirectRoom } from './direct-room.js';
import { parseNickname } from './nickname.js';
import type { Participant } from './participant.js';
import { comparisonKey } from './text-rules.js';

/** Who a direct message goes to, where they are, and what it says. */
export interface Recipient {
  readonly roomId: string;
  readonly participant: Participant;
  /** The text, without the `#room` that picked among namesakes. */
  readonly text: string;
}

/**
 * Finds who `/msg @nick text` means: the participant of that nickname in the sender's own room,
 * or else the one person of that nickname anywhere on the server (in a room, or connected for
 * direct messages only). When several people in other rooms share it, the text may start with
 * `#room` (an id or a name) to pick one.
 * @throws ChatError `invalid_nickname`, `participant_not_found`, `ambiguous_participant`.
 */
export async function findRecipient(
  deps: { readonly presence: PresenceRegistry; readonly rooms: RoomRepository },
  fromRoomId: string,
  nickname: string,
  text: string,
): Promise<Recipient> {
  const name = parseNickname(nickname);
  const found = await deps.presence.locate(name).catch(storageUnavailable('sent'));
  const here = found.find((present) => present.roomId === fromRoomId);
  if (here !== undefined) return { ...here, text };
  if (found.length === 1 && found[0] !== undefined) return { ...found[0], text };
  if (found.length === 0) {
    throw new ChatError('participant_not_found', `nobody called "${nickname}" is connected`);
  }
  const picked = await pickByRoom(deps.rooms, found, text);
  if (picked !== undefined) return picked;
  const names = await Promise.all(found.map((present) => roomNameOf(deps.rooms, present.roomId)));
  const sample = names.find((room) => !/\s/.test(room)) ?? found[0]?.roomId ?? '';
  throw new ChatError(
    'ambiguous_participant',
    `several people are called "${name}" (in ${names.map((room) => `#${room}`).join(', ')}): ` +
      `name the room first, /msg @${name} #${sample} your message`,
  );
}

/**
 * The name the sender means, as its holder spells it: in the sender's room if someone there has
 * it, else anywhere on the server.
 * @throws ChatError `invalid_nickname`, `participant_not_found`.
 */
export async function findNickname(
  presence: PresenceRegistry,
  fromRoomId: string,
  nickname: string,
): Promise<string> {
  const found = await presence.locate(parseNickname(nickname)).catch(storageUnavailable('found'));
  const present = found.find((p) => p.roomId === fromRoomId) ?? found[0];
  if (present === undefined) {
    throw new ChatError('participant_not_found', `nobody called "${nickname}" is connected`);
  }
  return present.participant.name;
}

// `#room rest of the text`: the one namesake in that room (by id, or by name as rooms are found).
async function pickByRoom(
  rooms: RoomRepository,
  found: readonly { roomId: string; participant: Participant }[],
  text: string,
): Promise<Recipient | undefined> {
  const match = /^#(\S+)\s+(.*)$/s.exec(text.trimStart());
  if (match === null) return undefined;
  const [, room = '', rest = ''] = match;
  const key = comparisonKey(room);
  for (const present of found) {
    const name = await roomNameOf(rooms, present.roomId);
    if (present.roomId === room || comparisonKey(name) === key) return { ...present, text: rest };
  }
  return undefined;
}

async function roomNameOf(rooms: RoomRepository, roomId: string): Promise<string> {
  if (isDirectRoom(roomId)) return DIRECT_ROOM.name;
  return (await rooms.get(roomId))?.name ?? roomId;
}
