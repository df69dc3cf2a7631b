import type { RoomDetails } from '../../business/chat/room-service.js';
import type { PantzChatter } from '../dialects/pantz-chatters.js';
import type { PantzStatsBody } from './rest-schemas.js';

/** The server's settings and figures that `/v1.0/stats` shows. */
export interface PantzServerFigures {
  readonly version: string;
  readonly uuid: string;
  readonly hostname: string;
  readonly port: number;
  readonly maxConns: number;
  readonly maxRooms: number;
  /** Seconds; 0 = off. */
  readonly maxIdle: number;
  readonly debugEnabled: boolean;
  readonly startTime: number;
  readonly routeCounts: Readonly<Record<string, number>>;
}

const NEVER = '0001-01-01T00:00:00Z';

/**
 * chattypantz's `/v1.0/stats` body (composer22/chattypantz@6c94499 server/server.go, observed in
 * seed-clients runs), filled with Parley's figures; what Parley does not measure (per-room
 * request counts, Go's memory statistics) is zero or Node's nearest (docs/protocol.md).
 */
export function pantzStatsView(
  server: PantzServerFigures,
  chatters: readonly PantzChatter[],
  rooms: readonly RoomDetails[],
): PantzStatsBody {
  const info = {
    version: server.version,
    name: 'Parley',
    hostname: server.hostname,
    UUID: server.uuid,
    port: server.port,
    profPort: 0,
    maxConns: server.maxConns,
    maxRooms: server.maxRooms,
    maxIdle: server.maxIdle,
    debugEnabled: server.debugEnabled,
  };
  const { name, hostname, port, profPort, maxConns, maxRooms, maxIdle, debugEnabled } = info;
  const options = { name, hostname, port, profPort, maxConns, maxRooms, maxIdle, debugEnabled };
  const routeStats = Object.fromEntries(
    Object.entries(server.routeCounts).map(([route, requestCount]) => [route, { requestCount }]),
  );
  const reqCount = Object.values(server.routeCounts).reduce((sum, count) => sum + count, 0);
  return {
    info,
    options: { ...options, maxProcs: 0 },
    stats: {
      startTime: goTime(server.startTime),
      reqCount,
      reqBytes: 0,
      routeStats,
      chatterStats: chatters.map(chatterView),
      roomStats: rooms.map(roomView),
    },
    memStats: memoryView(),
  };
}

function chatterView(chatter: PantzChatter): PantzStatsBody['stats']['chatterStats'][number] {
  return {
    nickname: chatter.nickname,
    remoteAddr: chatter.remoteAddr,
    start: goTime(chatter.start),
    lastReq: goTime(chatter.lastReq),
    lastRsp: goTime(chatter.lastRsp),
    reqcount: chatter.reqCount,
    rspCount: chatter.rspCount,
  };
}

function roomView(room: RoomDetails): PantzStatsBody['stats']['roomStats'][number] {
  return {
    name: room.name,
    start: goTime(room.createdAt),
    lastReq: NEVER,
    lastRsp: NEVER,
    reqcount: 0,
    rspCount: 0,
    chatters: room.participants.map((participant) => ({
      nickname: participant.name,
      remoteAddr: participant.origin
        ? `${participant.origin.address}:${participant.origin.port}`
        : '',
    })),
  };
}

// Go's runtime.MemStats names, with Node's nearest figures.
function memoryView(): Record<string, number> {
  const memory = process.memoryUsage();
  return {
    Alloc: memory.heapUsed,
    TotalAlloc: memory.heapUsed,
    Sys: memory.rss,
    HeapAlloc: memory.heapUsed,
    HeapSys: memory.heapTotal,
  };
}

/** Epoch ms as Go's RFC3339Nano (UTC, fraction trimmed); 0 as Go's zero time. */
export function goTime(ms: number): string {
  if (ms === 0) return NEVER;
  const iso = new Date(ms).toISOString(); // Go trims the fraction's trailing zeros
  return iso.replace(/(\.\d*?)0*Z$/, '$1Z').replace('.Z', 'Z');
}
