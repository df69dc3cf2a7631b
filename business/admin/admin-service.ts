import { ChatError } from '../chat/chat-error.js';
import type { ChatDependencies } from '../chat/chat-dependencies.js';
import { findRoom } from '../chat/find-room.js';
import type { Room } from '../chat/room.js';
import type { Occupants } from '../ports/occupants.js';

/** Most characters an announcement or a kick's reason may have. */
export const ADMIN_TEXT_MAX_LENGTH = 1000;

/** An announcement as sent, and how many clients were sent it. */
export interface Announcement {
  readonly text: string;
  readonly at: number;
  readonly recipients: number;
}

/** A deleted room, and how many of its participants were disconnected. */
export interface DeletedRoom {
  readonly room: Room;
  readonly disconnected: number;
}

/** The operator's use cases: announce to everyone, delete a room, kick a participant. */
export class AdminService {
  constructor(
    private readonly deps: Pick<ChatDependencies, 'rooms' | 'messages' | 'clock'>,
    private readonly occupants: Occupants,
  ) {}

  /**
   * Shows every connected client, on every transport, a notice.
   * @throws ChatError `invalid_admin_request` for a missing, blank or too long text.
   */
  announce(rawText: unknown): Announcement {
    const text = adminText(rawText, 'text', true);
    const at = this.deps.clock.now();
    return { text, at, recipients: this.occupants.announce(text, at) };
  }

  /**
   * Deletes a room: first from the repository (no one can join it any more, its name is free),
   * then its participants are told and disconnected, then its history is deleted.
   * @throws ChatError `room_not_found`, `storage_unavailable`.
   */
  async deleteRoom(roomId: string): Promise<DeletedRoom> {
    const room = await findRoom(this.deps.rooms, roomId);
    const removed = await this.deps.rooms.remove(room.id).catch(unavailable('room'));
    if (!removed) throw new ChatError('room_not_found', `no room with id "${roomId}"`);
    const disconnected = this.occupants.closeRoom(room.id, this.deps.clock.now());
    await this.deps.messages.remove(room.id).catch(unavailable('history'));
    return { room, disconnected };
  }

  /**
   * Disconnects one participant of a room, who is told `reason`.
   * @throws ChatError `room_not_found`, `participant_not_found`, `invalid_admin_request`.
   */
  async kick(roomId: string, rawParticipant: unknown, rawReason: unknown): Promise<void> {
    const participant = adminText(rawParticipant, 'participant', true);
    const reason = adminText(rawReason ?? '', 'reason', false);
    const room = await findRoom(this.deps.rooms, roomId);
    const told = reason === '' ? 'an operator disconnected you' : reason;
    if (!(await this.occupants.kick(room.id, participant, told))) {
      throw new ChatError('participant_not_found', `nobody called "${participant}" is in the room`);
    }
  }
}

function adminText(raw: unknown, field: string, required: boolean): string {
  if (typeof raw !== 'string' || (required && raw.trim() === '')) {
    throw new ChatError('invalid_admin_request', `"${field}" must be a non-blank string`);
  }
  if ([...raw].length > ADMIN_TEXT_MAX_LENGTH) {
    throw new ChatError(
      'invalid_admin_request',
      `"${field}" is at most ${ADMIN_TEXT_MAX_LENGTH} characters`,
    );
  }
  return raw.trim();
}

function unavailable(what: string): (cause: unknown) => never {
  return (cause) => {
    throw new ChatError('storage_unavailable', `the room's ${what} could not be deleted`, {
      cause,
    });
  };
}
