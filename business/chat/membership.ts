import type { ChatDependencies } from './chat-dependencies.js';
import { storageUnavailable } from './storage-unavailable.js';
import type { Outbox } from '../ports/outbox.js';
import type { Origin } from './participant.js';
import { ChatError } from './chat-error.js';
import type { Member } from './member.js';
import { parseMessageText, type Message } from './message.js';
import { parseNickname } from './nickname.js';
import type { Room } from './room.js';
import type { LeaveReason } from './room-event.js';
import type { RoomHub } from './room-hub.js';
import { findNickname, findRecipient } from './recipient.js';
import { isDirectRoom } from './direct-room.js';
import { announceLeave } from './announce-leave.js';

/**
 * A participant's presence in a room, handed to the transport that joined it: the one handle
 * through which that connection speaks and leaves.
 */
export class Membership {
  private left = false;

  constructor(
    readonly room: Room,
    private readonly member: Member,
    private readonly hub: RoomHub,
    private readonly deps: ChatDependencies,
  ) {}

  /** The participant's nickname in the room. */
  get name(): string {
    return this.member.name;
  }

  /** True until `leave` has been called. */
  get active(): boolean {
    return !this.left;
  }

  /**
   * Stores the message, then fans it out to the room (the sender included). Stored first, so
   * that whatever anyone has seen is in history.
   * @throws ChatError `empty_message`, `not_in_room`, `storage_unavailable`.
   */
  async say(text: string): Promise<Message> {
    this.ensurePresent();
    if (isDirectRoom(this.room.id)) {
      throw new ChatError(
        'not_in_room',
        'you are connected for direct messages only: /msg @nick to talk, /join a room to join one',
      );
    }
    const { ids, clock, messages, broker } = this.deps;
    const draft = {
      id: ids.next(),
      roomId: this.room.id,
      participant: this.member.name,
      text: parseMessageText(text),
      sentAt: clock.now(),
    };
    const message = await messages.append(draft).catch((cause: unknown) => {
      throw new ChatError('storage_unavailable', 'the message could not be stored; not sent', {
        cause,
      });
    });
    broker.publish(this.room.id, { type: 'message_posted', message });
    return message;
  }

  /**
   * Sends a private message to a participant of the room, or else to the one person of that
   * nickname anywhere on the server (see findRecipient); they and the sender receive it,
   * nobody else; it is not stored. A recipient who ignores the sender never sees it, and the
   * sender is not told (as IRC does). Resolves with the recipient's nickname as they spell it.
   * @throws ChatError `empty_message`, `invalid_nickname`, `participant_not_found`,
   *   `ambiguous_participant`, `not_in_room`.
   */
  async whisper(to: string, text: string): Promise<string> {
    this.ensurePresent();
    parseMessageText(text);
    const recipient = await findRecipient(this.deps, this.room.id, to, text);
    const { ids, clock, broker } = this.deps;
    const event = {
      type: 'private_message',
      id: ids.next(),
      roomId: recipient.roomId,
      from: this.member.name,
      fromId: this.member.participant.memberId,
      to: recipient.participant.name,
      toId: recipient.participant.memberId,
      text: parseMessageText(recipient.text),
      at: clock.now(),
    } as const;
    broker.publish(recipient.roomId, event);
    if (recipient.roomId !== this.room.id) broker.publish(this.room.id, event); // the echo
    return recipient.participant.name;
  }

  /**
   * Stops delivering a participant's room and private messages to this connection.
   * @throws ChatError `invalid_nickname`, `participant_not_found`, `invalid_command` (yourself).
   */
  async ignore(nickname: string): Promise<string[]> {
    const name = await findNickname(this.deps.presence, this.room.id, nickname);
    if (name === this.member.name) {
      throw new ChatError('invalid_command', 'you cannot ignore yourself');
    }
    this.member.ignore(name);
    return this.member.ignored;
  }

  /**
   * Delivers a participant's messages again (they need not be in the room any more).
   * @throws ChatError `invalid_nickname`, `participant_not_found` (when not ignored).
   */
  unignore(nickname: string): string[] {
    const name = parseNickname(nickname);
    if (!this.member.unignore(name)) {
      throw new ChatError('participant_not_found', `you are not ignoring "${name}"`);
    }
    return this.member.ignored;
  }

  /** The nicknames this connection ignores. */
  get ignored(): string[] {
    return this.member.ignored;
  }

  private ensurePresent(): void {
    if (this.left) throw new ChatError('not_in_room', 'you are no longer in this room');
  }

  /**
   * Takes a new nickname in this room, subject to the one-nickname rule; the room sees
   * `participant_renamed`. A change of case only is a rename; the same name again is refused,
   * since announcing it would tell the room nothing. Ignore lists elsewhere keep the old name.
   * @throws ChatError `invalid_nickname`, `nickname_taken`, `invalid_command` (the same name),
   * `not_in_room`.
   */
  async rename(nickname: string): Promise<void> {
    this.ensurePresent();
    const name = parseNickname(nickname);
    const from = this.member.name;
    // Canonically equivalent spellings (é as one code point or as e + accent) look the same.
    if (name.normalize('NFC') === from.normalize('NFC')) {
      throw new ChatError('invalid_command', `you are already called ${from}`);
    }
    const { presence, broker, clock } = this.deps;
    const renamed = await presence
      .rename(this.room.id, this.member.participant.memberId, name)
      .catch(storageUnavailable('renamed'));
    if (!renamed) {
      throw new ChatError('nickname_taken', `the nickname "${name}" is taken in this room`);
    }
    this.member.rename(name);
    this.hub.renamed(this.member, from);
    broker.publish(this.room.id, {
      type: 'participant_renamed',
      roomId: this.room.id,
      from,
      to: name,
      at: clock.now(),
    });
  }

  /** The connection this membership delivers to, for moving it to another room. */
  get outbox(): Outbox {
    return this.member.outbox;
  }

  /** Where the connection comes from, when announced. */
  get origin(): Origin | undefined {
    return this.member.participant.origin;
  }

  /** Leaves the room and tells everyone why. Idempotent: only the first call has an effect. */
  async leave(reason: LeaveReason): Promise<void> {
    if (this.left) return;
    this.left = true;
    this.hub.detach(this.member);
    const { presence } = this.deps;
    // Release before announcing, so whoever sees the leave can take the nickname at once; announce
    // even if the release fails, since the member is gone either way.
    try {
      await presence.release(this.room.id, this.member.participant.memberId);
    } finally {
      await announceLeave(this.deps, this.room.id, this.member.participant, reason);
    }
  }

  /** True while the participant is left out of participant lists (see Participant.hidden). */
  get hidden(): boolean {
    return this.member.participant.hidden === true;
  }

  /**
   * Hides the participant from participant lists, or shows it again; nobody is told (as
   * chattypantz does). The nickname stays taken either way.
   * @throws ChatError `not_in_room`.
   */
  async hide(hidden: boolean): Promise<void> {
    this.ensurePresent();
    const { memberId } = this.member.participant;
    const done = await this.deps.presence
      .setHidden(this.room.id, memberId, hidden)
      .catch(storageUnavailable('hidden'));
    if (!done) {
      throw new ChatError('not_in_room', 'you are no longer in this room');
    }
    this.member.setHidden(hidden);
  }
}
