/**
 * Every key Parley keeps in Redis, in one place (docs/architecture.md lists them). A key that
 * names a room, a nickname or a node ends with it: two different ids never make the same key,
 * whatever characters they hold (no separator follows an id).
 */
export const RedisKeys = {
  /** Rooms: a hash of id → the room as JSON. */
  rooms: 'parley:rooms',
  /** Room ids by creation order (a sorted set; the score is a counter). */
  roomOrder: 'parley:rooms:order',
  roomCounter: 'parley:rooms:counter',
  /** Ids of deleted rooms: never taken again. */
  deletedRooms: 'parley:rooms:deleted',
  /** The ids of the rooms whose name has this comparison key, oldest first (a sorted set). */
  roomName: (key: string): string => `parley:rooms:name:${key}`,

  /** A room's last seq (INCR). */
  seq: (roomId: string): string => `parley:seq:${roomId}`,
  /** A room's retained history: a sorted set scored by seq, each member `<seq> <draft JSON>`. */
  history: (roomId: string): string => `parley:history:${roomId}`,
  /** Rooms whose history was deleted: appends to them are refused. */
  deletedHistories: 'parley:history:deleted',

  /** Prefix of the presence keys, which the presence scripts build themselves. */
  presence: 'parley:presence:',
  /** Nodes alive: a sorted set of node id → the Redis time (ms) after which it counts as dead. */
  nodes: 'parley:nodes',

  /** The pub/sub channel of a room's events. */
  roomChannel: (roomId: string): string => `parley:room:${roomId}`,
  /** The pub/sub channel of operator actions every node applies (announce, kick, close). */
  controlChannel: 'parley:control',
  /** The pub/sub channel on which a node takes SSE posts for the streams it holds. */
  ssePostChannel: (nodeTag: string): string => `parley:sse:${nodeTag}`,
  /** The pub/sub channel on which a node gets the outcomes of the SSE posts it handed on. */
  ssePostReplyChannel: (nodeTag: string): string => `parley:sse-reply:${nodeTag}`,
} as const;
