import type { ChatDependencies } from './chat-dependencies.js';
import { storageUnavailable } from './storage-unavailable.js';
import { ChatError } from './chat-error.js';
import { findRoom } from './find-room.js';
import { parseHistoryQuery } from './history-page.js';
import type { Message } from './message.js';
import type { Participant } from './participant.js';
import { parseRoomName, type Room } from './room.js';
import { RoomCreationRate } from './room-creation-rate.js';
import { PARTICIPANT_LIST_MAX, parseRoomPageQuery, selectRoomPage } from './room-page.js';

/** A room with how many people are in it. */
export interface RoomSummary extends Room {
  readonly participantCount: number;
}

/** A room with who is in it, in join order (the first PARTICIPANT_LIST_MAX of them). */
export interface RoomDetails extends Room {
  readonly participants: readonly Participant[];
  /** How many are in the room, listed or not. */
  readonly participantCount: number;
}

/** A page of the room list (see RoomPageQuery). */
export interface RoomPage {
  readonly rooms: readonly RoomSummary[];
  /** Rooms there are in all. */
  readonly total: number;
  /** The `after` of the next page; absent on the last one. */
  readonly next?: string;
}

/** Limits on rooms. */
export interface RoomOptions {
  /** Rooms that may exist at once; 0 = unlimited. */
  readonly maxRooms: number;
  /** Rooms one peer address may create per minute (`--room-creation-rate`); 0 or absent: no limit. */
  readonly creationsPerMinute?: number;
}

/** The room use cases: create, list, look up. */
export class RoomService {
  /**
   * Creations, one at a time: two cannot both take the last place under the limit, nor both
   * create a room that findOrCreate asked for by the same name.
   */
  private creations: Promise<unknown> = Promise.resolve();
  /** Rooms this service has created: a lookup that saw the same count cannot have missed one. */
  private created = 0;
  private readonly creationRate: RoomCreationRate;

  constructor(
    private readonly deps: Pick<
      ChatDependencies,
      'rooms' | 'messages' | 'presence' | 'ids' | 'clock'
    >,
    private readonly options: RoomOptions = { maxRooms: 0 },
  ) {
    this.creationRate = new RoomCreationRate(options.creationsPerMinute ?? 0, () =>
      deps.clock.now(),
    );
  }

  /**
   * Creates a room; ids are generated, names need not be unique. `creator` is the peer address
   * it is created from, limited to `creationsPerMinute` rooms a minute (none: not limited).
   * @throws ChatError `invalid_room_name`, `room_limit_reached`, `too_many_rooms_created`,
   *   `storage_unavailable`.
   */
  async create(requestedName: unknown, creator?: string): Promise<Room> {
    const name = parseRoomName(requestedName);
    return this.oneAtATime(() => this.createWithinLimit(name, creator));
  }

  /**
   * The room with this id, or else the oldest room with this name (compared without regard to
   * case or width).
   * @throws ChatError `room_not_found`.
   */
  async find(idOrName: string): Promise<Room> {
    const room = await this.lookUp(idOrName);
    if (room === undefined) throw new ChatError('room_not_found', `no room "${idOrName}"`);
    return room;
  }

  /**
   * As `find`, but a name no room has yet creates that room (chattypantz's and IRC's way).
   * Concurrent calls with the same new name get the same one room; a creation is limited by
   * `creator` as in `create`, a room found never is.
   * @throws ChatError `invalid_room_name`, `room_limit_reached`, `too_many_rooms_created`,
   *   `storage_unavailable`.
   */
  async findOrCreate(idOrName: string, creator?: string): Promise<Room> {
    const createdBefore = this.created;
    const found = await this.lookUp(idOrName);
    if (found !== undefined) return found;
    const name = parseRoomName(idOrName);
    return this.oneAtATime(async () => {
      // Only a creation that finished since the lookup began can have made this room.
      const raced = this.created === createdBefore ? undefined : await this.byName(name);
      return raced ?? this.createWithinLimit(name, creator);
    });
  }

  /**
   * A page of the rooms, oldest first, each with its participant count: an answer's size is
   * bounded whatever the number of rooms.
   * @throws ChatError `invalid_room_query`.
   */
  async list(rawQuery: { after?: unknown; limit?: unknown } = {}): Promise<RoomPage> {
    const query = parseRoomPageQuery(rawQuery);
    const rooms = await this.deps.rooms.list().catch(storageUnavailable('listed'));
    const page = selectRoomPage(rooms, query);
    const counts = await this.deps.presence
      .counts(page.map((room) => room.id))
      .catch(storageUnavailable('listed'));
    const last = page.at(-1);
    const more = last !== undefined && last !== rooms.at(-1) && page.length === query.limit;
    return {
      rooms: page.map((room) => ({ ...room, participantCount: counts.get(room.id) ?? 0 })),
      total: rooms.length,
      ...(more && { next: last.id }),
    };
  }

  /**
   * One room and its participants, in join order (at most PARTICIPANT_LIST_MAX of them); hidden
   * participants are neither listed nor counted.
   * @throws ChatError `room_not_found`.
   */
  async get(roomId: string): Promise<RoomDetails> {
    const room = await findRoom(this.deps.rooms, roomId);
    const present = await this.deps.presence.list(room.id).catch(storageUnavailable('listed'));
    const participants = present.filter((participant) => participant.hidden !== true);
    return {
      ...room,
      participants: participants.slice(0, PARTICIPANT_LIST_MAX),
      participantCount: participants.length,
    };
  }

  /**
   * A page of the room's history, oldest first (see HistoryQuery).
   * @throws ChatError `invalid_history_query`, `room_not_found`.
   */
  async history(
    roomId: string,
    rawQuery: { after?: unknown; before?: unknown; limit?: unknown },
  ): Promise<Message[]> {
    const query = parseHistoryQuery(rawQuery);
    const room = await findRoom(this.deps.rooms, roomId);
    return this.deps.messages.page(room.id, query).catch(storageUnavailable('read'));
  }

  private oneAtATime<T>(task: () => Promise<T>): Promise<T> {
    const run = this.creations.then(task);
    this.creations = run.catch(() => undefined);
    return run;
  }

  private async lookUp(idOrName: string): Promise<Room | undefined> {
    const found = await this.deps.rooms.get(idOrName).catch(storageUnavailable('found'));
    return found ?? this.byName(idOrName).catch(storageUnavailable('found'));
  }

  private byName(name: string): Promise<Room | undefined> {
    return this.deps.rooms.findByName(name.trim());
  }

  private async createWithinLimit(name: string, creator: string | undefined): Promise<Room> {
    this.creationRate.check(creator);
    const max = this.options.maxRooms;
    if (max > 0 && (await this.deps.rooms.count()) >= max) {
      throw new ChatError('room_limit_reached', `this server holds at most ${max} rooms`);
    }
    const room = await this.store(name);
    this.creationRate.created(creator);
    return room;
  }

  private async store(name: string): Promise<Room> {
    const room = { id: this.deps.ids.next(), name, createdAt: this.deps.clock.now() };
    await this.deps.rooms.add(room).catch((cause: unknown) => {
      throw new ChatError('storage_unavailable', 'the room could not be stored', { cause });
    });
    this.created++;
    return room;
  }
}
