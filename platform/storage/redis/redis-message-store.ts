import type { Redis } from 'ioredis';
import type { HistoryQuery } from '../../../business/chat/history-page.js';
import type { Message, MessageDraft } from '../../../business/chat/message.js';
import { isStorableRoomId } from '../../../business/chat/room.js';
import type { MessageStore } from '../../../business/ports/message-store.js';
import { LuaScript } from '../../redis/lua-script.js';
import { StoreClosedError } from '../store-closed-error.js';
import { UnstorableRoomIdError } from '../unstorable-room-id-error.js';
import { RedisKeys } from './redis-keys.js';

// Checks the room's history was not deleted, takes the next seq and stores the message in one
// step of Redis: seqs are contiguous and unique across every node, in the order Redis ran them.
const APPEND = new LuaScript(`
if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1 then
  return redis.error_reply('DELETED the history of this room was deleted')
end
local seq = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], seq, seq .. ' ' .. ARGV[2])
local keep = tonumber(ARGV[3])
if seq > keep then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', seq - keep) end
return seq
`);

const REMOVE = new LuaScript(`
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`);

/**
 * History in Redis (`--storage redis`), shared by every node: the last `retention` messages of
 * each room in a sorted set scored by seq, the seq counter beside it. As durable as the Redis
 * server is configured to be (`appendonly`); a room's history survives every node's restart.
 */
export class RedisMessageStore implements MessageStore {
  private closed = false;

  /** `client` is the node's fail-fast command connection (see RedisConnections), not owned. */
  constructor(
    private readonly client: Redis,
    private readonly retention: number,
  ) {}

  async append(draft: MessageDraft): Promise<Message> {
    this.ensureOpen();
    if (!isStorableRoomId(draft.roomId)) throw new UnstorableRoomIdError(draft.roomId);
    const { roomId } = draft;
    const keys = [RedisKeys.seq(roomId), RedisKeys.history(roomId), RedisKeys.deletedHistories];
    const seq = await APPEND.run(this.client, keys, [
      roomId,
      JSON.stringify(draft),
      this.retention,
    ]);
    return { ...draft, seq: Number(seq) };
  }

  async recent(roomId: string, limit: number): Promise<Message[]> {
    this.ensureOpen();
    if (limit <= 0 || !isStorableRoomId(roomId)) return [];
    return parse(await this.client.zrange(RedisKeys.history(roomId), String(-limit), '-1'));
  }

  async page(roomId: string, query: HistoryQuery): Promise<Message[]> {
    this.ensureOpen();
    if (!isStorableRoomId(roomId)) return [];
    const key = RedisKeys.history(roomId);
    const { after, before, limit } = query;
    const top = before === undefined ? '+inf' : `(${before}`;
    if (after !== undefined) {
      return parse(
        await this.client.zrangebyscore(key, `(${after}`, top, 'LIMIT', '0', String(limit)),
      );
    }
    const newestFirst = await this.client.zrevrangebyscore(
      key,
      top,
      '-inf',
      'LIMIT',
      '0',
      String(limit),
    );
    return parse(newestFirst.reverse());
  }

  async remove(roomId: string): Promise<void> {
    this.ensureOpen();
    const keys = [RedisKeys.seq(roomId), RedisKeys.history(roomId), RedisKeys.deletedHistories];
    await REMOVE.run(this.client, keys, [roomId]);
  }

  // Everything is written when append resolves: nothing to flush. The connection is the node's.
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreClosedError('message store');
  }
}

/** Messages from their sorted-set members, `<seq> <draft JSON>`. */
function parse(members: readonly string[]): Message[] {
  return members.map((member) => {
    const space = member.indexOf(' ');
    const draft = JSON.parse(member.slice(space + 1)) as MessageDraft;
    return { ...draft, seq: Number(member.slice(0, space)) };
  });
}
