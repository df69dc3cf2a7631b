import { LuaScript } from '../redis/lua-script.js';

/**
 * The presence scripts. Each runs atomically in Redis: a check and its write are one step, so
 * of concurrent claims on any number of nodes exactly one wins. ARGV[1] is the key prefix;
 * the scripts build their keys from it (a standalone Redis, not a cluster):
 *
 * - `room:<room>`, a hash: `m:<member>` the participant as JSON without its name and hidden
 *   flag, `n:<member>` its nickname, `h:<member>` "1" when hidden, `o:<member>` its node,
 *   `ki:`/`kc:<member>` its nickname keys, and `i:<caseless key>` / `c:<cased key>` → the member
 *   holding it (the same UTS #39 skeleton keys as the memory registry: business/chat/nickname-keys);
 * - `order:<room>`, a sorted set of members by claim order (a counter, `counter`);
 * - `where:i:<key>` / `where:c:<key>`, the rooms where a nickname key is held (for `locate`);
 * - `node:<node>`, the members a node holds (`<length of room>:<room><member>`), and `nodes`,
 *   a sorted set of node → the Redis time (ms) after which it counts as dead.
 */
const LIBRARY = `
local P = ARGV[1]
local function roomKey(r) return P .. 'room:' .. r end
local function orderKey(r) return P .. 'order:' .. r end
local function whereKey(k) return P .. 'where:' .. k end
local function nodeKey(n) return P .. 'node:' .. n end
local function entry(r, m) return #r .. ':' .. r .. m end
local function decode(e)
  local colon = string.find(e, ':', 1, true)
  local len = tonumber(string.sub(e, 1, colon - 1))
  return string.sub(e, colon + 1, colon + len), string.sub(e, colon + len + 1)
end
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function heldByOther(rk, m, ki, kc)
  local h = redis.call('HGET', rk, 'i:' .. ki)
  if h and h ~= m then return true end
  h = redis.call('HGET', rk, 'c:' .. kc)
  return h and h ~= m
end
local function index(r, rk, m, ki, kc)
  redis.call('HSET', rk, 'ki:' .. m, ki, 'kc:' .. m, kc, 'i:' .. ki, m, 'c:' .. kc, m)
  redis.call('SADD', whereKey('i:' .. ki), r)
  redis.call('SADD', whereKey('c:' .. kc), r)
end
local function unindex(r, rk, m)
  local keys = redis.call('HMGET', rk, 'ki:' .. m, 'kc:' .. m)
  if keys[1] and redis.call('HGET', rk, 'i:' .. keys[1]) == m then
    redis.call('HDEL', rk, 'i:' .. keys[1])
    redis.call('SREM', whereKey('i:' .. keys[1]), r)
  end
  if keys[2] and redis.call('HGET', rk, 'c:' .. keys[2]) == m then
    redis.call('HDEL', rk, 'c:' .. keys[2])
    redis.call('SREM', whereKey('c:' .. keys[2]), r)
  end
end
local function claim(r, m, base, name, hidden, node, ki, kc)
  local rk = roomKey(r)
  if redis.call('HEXISTS', rk, 'm:' .. m) == 1 or heldByOther(rk, m, ki, kc) then return 0 end
  redis.call('HSET', rk, 'm:' .. m, base, 'n:' .. m, name, 'o:' .. m, node)
  if hidden == '1' then redis.call('HSET', rk, 'h:' .. m, '1') end
  index(r, rk, m, ki, kc)
  redis.call('ZADD', orderKey(r), redis.call('INCR', P .. 'counter'), m)
  redis.call('SADD', nodeKey(node), entry(r, m))
  return 1
end
local function release(r, m)
  local rk = roomKey(r)
  local p = redis.call('HMGET', rk, 'm:' .. m, 'n:' .. m, 'h:' .. m, 'o:' .. m)
  if not p[1] then return false end
  unindex(r, rk, m)
  redis.call('HDEL', rk, 'm:' .. m, 'n:' .. m, 'h:' .. m, 'o:' .. m, 'ki:' .. m, 'kc:' .. m)
  redis.call('ZREM', orderKey(r), m)
  if p[4] then redis.call('SREM', nodeKey(p[4]), entry(r, m)) end
  return { p[1], p[2], p[3] or '' }
end
`;

const script = (body: string): LuaScript => new LuaScript(LIBRARY + body);

/** ARGV: prefix, room, member, base JSON, name, hidden ("1"/""), node, caseless, cased. → 1/0 */
export const CLAIM = script(`
return claim(ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
`);

/** ARGV: prefix, room, member, name, caseless, cased. → 1/0 */
export const RENAME = script(`
local r, m, name, ki, kc = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local rk = roomKey(r)
if redis.call('HEXISTS', rk, 'm:' .. m) == 0 or heldByOther(rk, m, ki, kc) then return 0 end
unindex(r, rk, m)
redis.call('HSET', rk, 'n:' .. m, name)
index(r, rk, m, ki, kc)
return 1
`);

/** ARGV: prefix, room, member, hidden ("1"/""). → 1/0 */
export const SET_HIDDEN = script(`
local rk = roomKey(ARGV[2])
if redis.call('HEXISTS', rk, 'm:' .. ARGV[3]) == 0 then return 0 end
if ARGV[4] == '1' then redis.call('HSET', rk, 'h:' .. ARGV[3], '1')
else redis.call('HDEL', rk, 'h:' .. ARGV[3]) end
return 1
`);

/** ARGV: prefix, room, member. → 1 when released, 0 when absent. */
export const RELEASE = script(`
if release(ARGV[2], ARGV[3]) then return 1 end
return 0
`);

/** ARGV: prefix, room. → [base, name, hidden, …] in join order. */
export const LIST = script(`
local rk = roomKey(ARGV[2])
local out = {}
for _, m in ipairs(redis.call('ZRANGE', orderKey(ARGV[2]), 0, -1)) do
  local p = redis.call('HMGET', rk, 'm:' .. m, 'n:' .. m, 'h:' .. m)
  if p[1] then
    out[#out + 1] = p[1]; out[#out + 1] = p[2]; out[#out + 1] = p[3] or ''
  end
end
return out
`);

/** ARGV: prefix, room… → one count per room. */
export const COUNTS = script(`
local out = {}
for i = 2, #ARGV do out[#out + 1] = redis.call('ZCARD', orderKey(ARGV[i])) end
return out
`);

/** ARGV: prefix, caseless, cased. → [room, base, name, hidden, …] */
export const LOCATE = script(`
local ki, kc = ARGV[2], ARGV[3]
local out = {}
for _, r in ipairs(redis.call('SUNION', whereKey('i:' .. ki), whereKey('c:' .. kc))) do
  local rk = roomKey(r)
  local m = redis.call('HGET', rk, 'i:' .. ki) or redis.call('HGET', rk, 'c:' .. kc)
  if m then
    local p = redis.call('HMGET', rk, 'm:' .. m, 'n:' .. m, 'h:' .. m)
    if p[1] then
      out[#out + 1] = r; out[#out + 1] = p[1]; out[#out + 1] = p[2]; out[#out + 1] = p[3] or ''
    end
  end
end
return out
`);

/**
 * ARGV: prefix, node, ttl ms. Marks the node alive until Redis's now + ttl. → 1 when the node
 * was not known (first beat, reaped meanwhile, or Redis lost its data), else 0.
 */
export const HEARTBEAT = script(`
return redis.call('ZADD', P .. 'nodes', nowMs() + tonumber(ARGV[3]), ARGV[2])
`);

/** ARGV: prefix, node. The node stops cleanly: it is no longer listed. */
export const DEPART = script(`
redis.call('ZREM', P .. 'nodes', ARGV[2])
return 1
`);

/**
 * ARGV: prefix. Removes every node whose time is past, releasing each of its participants:
 * whoever runs it first gets them, once. → [room, base, name, hidden, …]
 */
export const REAP = script(`
local out = {}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', P .. 'nodes', '-inf', nowMs())) do
  redis.call('ZREM', P .. 'nodes', node)
  for _, e in ipairs(redis.call('SMEMBERS', nodeKey(node))) do
    local r, m = decode(e)
    local p = release(r, m)
    if p then
      out[#out + 1] = r; out[#out + 1] = p[1]; out[#out + 1] = p[2]; out[#out + 1] = p[3]
    end
  end
  redis.call('DEL', nodeKey(node))
end
return out
`);

/**
 * ARGV as CLAIM. Re-asserts a participant this node still holds: 1 when Redis still had it, 2
 * when recorded again (Redis lost it, or the node was taken for dead), 0 on a clash.
 */
export const REASSERT = script(`
local r, m, node = ARGV[2], ARGV[3], ARGV[7]
local rk = roomKey(r)
if redis.call('HEXISTS', rk, 'm:' .. m) == 1 then
  local old = redis.call('HGET', rk, 'o:' .. m)
  if old and old ~= node then redis.call('SREM', nodeKey(old), entry(r, m)) end
  redis.call('HSET', rk, 'o:' .. m, node)
  redis.call('SADD', nodeKey(node), entry(r, m))
  return 1
end
return claim(r, m, ARGV[4], ARGV[5], ARGV[6], node, ARGV[8], ARGV[9]) * 2
`);
