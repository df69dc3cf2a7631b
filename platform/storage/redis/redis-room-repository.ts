import type { Redis } from 'ioredis';
import { isStorableRoomId, type Room } from '../../../business/chat/room.js';
import type { RoomRepository } from '../../../business/ports/room-repository.js';
import { comparisonKey } from '../../../business/chat/text-rules.js';
import { LuaScript } from '../../redis/lua-script.js';
import { StoreClosedError } from '../store-closed-error.js';
import { UnstorableRoomIdError } from '../unstorable-room-id-error.js';
import { RedisKeys } from './redis-keys.js';

// KEYS: rooms, order, counter, deleted, name. ARGV: id, room JSON.
const ADD = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return redis.error_reply('EXISTS room exists') end
if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then return redis.error_reply('DELETED room was deleted') end
local n = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], n, ARGV[1])
redis.call('ZADD', KEYS[5], n, ARGV[1])
return n
`);

// KEYS: rooms, order, deleted, name. ARGV: id.
const REMOVE = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`);

// KEYS: rooms, name.
const FIND_BY_NAME = new LuaScript(`
local ids = redis.call('ZRANGE', KEYS[2], 0, 0)
if #ids == 0 then return false end
return redis.call('HGET', KEYS[1], ids[1])
`);

// KEYS: rooms, order. HMGET in chunks: Lua's unpack has a limit on arguments.
const LIST = new LuaScript(`
local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
local out = {}
for i = 1, #ids, 1000 do
  local chunk = {}
  for j = i, math.min(i + 999, #ids) do chunk[#chunk + 1] = ids[j] end
  local rooms = redis.call('HMGET', KEYS[1], unpack(chunk))
  for j = 1, #chunk do
    if rooms[j] then out[#out + 1] = rooms[j] end
  end
end
return out
`);

/**
 * Rooms in Redis (`--storage redis`), shared by every node: a hash of rooms, their creation
 * order, and per name key the ids bearing it, oldest first (so `findByName` is two lookups).
 */
export class RedisRoomRepository implements RoomRepository {
  private closed = false;

  /** `client` is the node's fail-fast command connection (see RedisConnections), not owned. */
  constructor(private readonly client: Redis) {}

  async add(room: Room): Promise<void> {
    this.ensureOpen();
    if (!isStorableRoomId(room.id)) throw new UnstorableRoomIdError(room.id);
    const { rooms, roomOrder, roomCounter, deletedRooms } = RedisKeys;
    const keys = [rooms, roomOrder, roomCounter, deletedRooms, nameKey(room.name)];
    await ADD.run(this.client, keys, [room.id, JSON.stringify(room)]);
  }

  async get(id: string): Promise<Room | undefined> {
    this.ensureOpen();
    return parse(await this.client.hget(RedisKeys.rooms, id));
  }

  async findByName(name: string): Promise<Room | undefined> {
    this.ensureOpen();
    const found = await FIND_BY_NAME.run(this.client, [RedisKeys.rooms, nameKey(name)], []);
    return parse(typeof found === 'string' ? found : null);
  }

  async remove(id: string): Promise<boolean> {
    const room = await this.get(id);
    if (room === undefined) return false;
    const { rooms, roomOrder, deletedRooms } = RedisKeys;
    const keys = [rooms, roomOrder, deletedRooms, nameKey(room.name)];
    return (await REMOVE.run(this.client, keys, [id])) === 1;
  }

  async list(): Promise<Room[]> {
    this.ensureOpen();
    const found = (await LIST.run(
      this.client,
      [RedisKeys.rooms, RedisKeys.roomOrder],
      [],
    )) as string[];
    return found.map((json) => JSON.parse(json) as Room);
  }

  async count(): Promise<number> {
    this.ensureOpen();
    return this.client.hlen(RedisKeys.rooms);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreClosedError('room repository');
  }
}

const nameKey = (name: string): string => RedisKeys.roomName(comparisonKey(name));

function parse(json: string | null): Room | undefined {
  return json === null ? undefined : (JSON.parse(json) as Room);
}
