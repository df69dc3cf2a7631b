import type { Outbox } from '../ports/outbox.js';
import { storageUnavailable } from './storage-unavailable.js';
import type { ChatDependencies } from './chat-dependencies.js';
import { ChatError, isChatError } from './chat-error.js';
import { findRoom } from './find-room.js';
import { Member } from './member.js';
import { Membership } from './membership.js';
import { parseNickname } from './nickname.js';
import { withOrigin, type Origin, type Participant } from './participant.js';
import { RoomHub, type PresenceBatching } from './room-hub.js';
import type { RoomService } from './room-service.js';
import type { Room } from './room.js';
import { DIRECT_ROOM, isDirectRoom } from './direct-room.js';
import { presentNames } from './present-names.js';

/** Tunables of the conversation use cases. */
export interface ChatOptions {
  /** How many recent messages a joiner is replayed; 0 turns replay off. */
  readonly historyOnJoin: number;
  readonly presenceBatching: PresenceBatching;
}

/**
 * Where a client asks to go: a room by its id (Chatty's join), or by id or name, a name no room
 * has creating that room (chattypantz's URLs, IRC's `/join`, the telnet room prompt, MaChat).
 */
export type RoomTarget =
  | { readonly id: string }
  | { readonly idOrName: string }
  /** No room: present for direct messages only (see DIRECT_ROOM). */
  | { readonly direct: true };

/** How a client enters a room. */
export interface EnterOptions {
  /** Carried by the join and leave events, when given. */
  readonly origin?: Origin;
  /** Whether the joiner is replayed the room's recent history (default true). */
  readonly history?: boolean;
  /** Joins hidden: present, but in no participant list (see Participant.hidden). */
  readonly hidden?: boolean;
}

/** The join use case: turns a connection into a participant of a room. */
export class ChatService {
  private readonly hub: RoomHub;

  constructor(
    private readonly deps: ChatDependencies,
    private readonly options: ChatOptions,
    private readonly rooms: RoomService,
  ) {
    this.hub = new RoomHub(
      deps.broker,
      deps.timer,
      deps.clock,
      options.presenceBatching,
      deps.messages,
    );
  }

  /**
   * Joins the room the target names, creating it when the target allows and no room has that
   * name: the one way every transport and dialect joins (see `join` for the rest).
   * @throws ChatError as `join`, and `invalid_room_name`, `room_limit_reached`,
   *   `storage_unavailable` when a room would be created.
   */
  async enter(
    target: RoomTarget,
    nickname: string,
    outbox: Outbox,
    options: EnterOptions = {},
  ): Promise<Membership> {
    parseNickname(nickname); // a bad nickname creates no room
    const { history = true, hidden = false } = options;
    const who = { origin: options.origin, hidden };
    if ('direct' in target) return this.admit(DIRECT_ROOM, nickname, outbox, who, 0);
    const roomId = await this.resolve(target, outbox);
    const room = await findRoom(this.deps.rooms, roomId);
    return this.admit(room, nickname, outbox, who, history ? this.options.historyOnJoin : 0);
  }

  /**
   * Joins the room under the nickname. The joiner receives the room's recent history, then its
   * own `participant_joined` along with everyone else, then live traffic, through `outbox`.
   * When `origin` is given, the join and leave events carry it.
   * @throws ChatError `invalid_nickname`, `room_not_found`, `nickname_taken`.
   */
  async join(
    roomId: string,
    nickname: string,
    outbox: Outbox,
    origin?: Origin,
  ): Promise<Membership> {
    parseNickname(nickname);
    const room = await findRoom(this.deps.rooms, roomId);
    return this.admit(
      room,
      nickname,
      outbox,
      { origin, hidden: false },
      this.options.historyOnJoin,
    );
  }

  // The direct-messages room has no history to replay and announces nobody.
  private async admit(
    room: Room,
    nickname: string,
    outbox: Outbox,
    { origin, hidden }: { readonly origin: Origin | undefined; readonly hidden: boolean },
    historyLimit: number,
  ): Promise<Membership> {
    const name = parseNickname(nickname);
    const direct = isDirectRoom(room.id);
    if (!direct && outbox.mayEnter?.(room) === false) throw forbiddenRoom(room.name);
    const { ids, clock, presence } = this.deps;
    const participant: Participant = {
      memberId: ids.next(),
      name,
      joinedAt: clock.now(),
      ...(origin && { origin }),
      ...(hidden && { hidden }),
    };
    if (!(await presence.claim(room.id, participant).catch(storageUnavailable('joined')))) {
      throw new ChatError('nickname_taken', `the nickname "${name}" is taken in this room`);
    }
    const member = new Member(room.id, participant, outbox);
    try {
      await this.replayInto(member, historyLimit);
    } catch (error) {
      this.hub.detach(member);
      await presence.release(room.id, participant.memberId);
      return storageUnavailable('joined')(error);
    }
    if (!direct) await this.announceJoin(member, room.name);
    return new Membership(room, member, this.hub, this.deps);
  }

  /**
   * Moves a participant to another room under the same nickname (`/join`): joins the new room
   * first, so a refusal (nickname taken there) leaves them where they were, then leaves the
   * old one (its room sees `participant_left` with reason `moved`).
   * @throws ChatError as `join`.
   */
  async move(
    from: Membership,
    target: { readonly id: string } | { readonly idOrName: string },
  ): Promise<Membership> {
    const roomId = await this.resolve(target, from.outbox);
    if (roomId === from.room.id) {
      throw new ChatError('invalid_command', 'you are already in this room');
    }
    const to = await this.join(roomId, from.name, from.outbox, from.origin);
    await from.leave('moved');
    return to;
  }

  // A room asked for by a name no room has is created only if the member may enter it.
  private async resolve(
    target: { readonly id: string } | { readonly idOrName: string },
    outbox: Outbox,
  ): Promise<string> {
    if ('id' in target) return target.id;
    const reference = target.idOrName;
    if (outbox.mayEnter !== undefined) {
      const found = await this.rooms.find(reference).catch((error: unknown) => {
        if (isChatError(error, 'room_not_found')) return undefined;
        throw error;
      });
      if (found === undefined && !outbox.mayEnter({ id: '', name: reference })) {
        throw forbiddenRoom(reference);
      }
    }
    return (await this.rooms.findOrCreate(reference, outbox.peerAddress)).id;
  }

  // Attach before reading history: events that race the read are held by the member and
  // de-duplicated by seq, so nothing falls between history and live traffic.
  private async replayInto(member: Member, limit: number): Promise<void> {
    await this.hub.attach(member);
    const history = limit > 0 ? await this.deps.messages.recent(member.roomId, limit) : [];
    member.completeReplay(history);
  }

  private async announceJoin(member: Member, roomName: string): Promise<void> {
    const present = await presentNames(this.deps.presence, member.roomId);
    this.deps.broker.publish(member.roomId, {
      type: 'participant_joined',
      roomId: member.roomId,
      roomName,
      participant: member.name,
      at: member.participant.joinedAt,
      ...withOrigin(member.participant),
      ...(present && { present }),
    });
  }
}

function forbiddenRoom(room: string): ChatError {
  return new ChatError('forbidden_room', `your token does not let you into the room "${room}"`);
}
