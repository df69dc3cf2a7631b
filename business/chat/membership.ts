import type { ChatDependencies } from './chat-dependencies.js';
import { withOrigin } from './participant.js';
import { ChatError } from './chat-error.js';
import type { Member } from './member.js';
import { parseMessageText, type Message } from './message.js';
import type { Room } from './room.js';
import type { LeaveReason } from './room-event.js';
import type { RoomHub } from './room-hub.js';

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
    if (this.left) throw new ChatError('not_in_room', 'you are no longer in this room');
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

  /** Leaves the room and tells everyone why. Idempotent: only the first call has an effect. */
  async leave(reason: LeaveReason): Promise<void> {
    if (this.left) return;
    this.left = true;
    this.hub.detach(this.member);
    const { presence, broker, clock } = this.deps;
    // Release before announcing, so whoever sees the leave can take the nickname at once; announce
    // even if the release fails, since the member is gone either way.
    try {
      await presence.release(this.room.id, this.member.participant.memberId);
    } finally {
      broker.publish(this.room.id, {
        type: 'participant_left',
        roomId: this.room.id,
        participant: this.member.name,
        reason,
        at: clock.now(),
        ...withOrigin(this.member.participant),
      });
    }
  }
}
