import { ROOM_PAGE_MAX } from '../../business/chat/room-page.js';
import type { RoomService } from '../../business/chat/room-service.js';
import type { Transport } from '../connections/transport.js';
import type { ServerStatsBody } from '../protocol/rest-schemas.js';
import type { CountingBroker } from './counting-broker.js';
import type { TransportCounters } from './session-counters.js';

/** What `/stats` is made from. */
export interface ServerStatsSources {
  readonly version: string;
  readonly name: string;
  /** This node's id, when it is one of several sharing a Redis. */
  readonly node?: string;
  readonly startedAt: number;
  readonly options: ServerStatsBody['options'];
  readonly transports: () => readonly Transport[];
  readonly counters: TransportCounters;
  readonly broker: CountingBroker;
  readonly rooms: RoomService;
}

/** The `/stats` summary, now. Bounded: one page of rooms, whatever their number. */
export async function serverStats(sources: ServerStatsSources): Promise<ServerStatsBody> {
  const { counters, broker, rooms } = sources;
  const page = await rooms.list({ limit: ROOM_PAGE_MAX });
  return {
    version: sources.version,
    name: sources.name,
    ...(sources.node !== undefined && { node: sources.node }),
    startedAt: new Date(sources.startedAt).toISOString(),
    uptimeSeconds: (Date.now() - sources.startedAt) / 1000,
    options: sources.options,
    transports: sources.transports().map((transport) => {
      const counted = counters.of(transport.name);
      return {
        name: transport.name,
        connections: transport.sessions.size,
        deliveries: counted.delivered,
        errors: Object.fromEntries(counted.refusals),
      };
    }),
    messagesIn: broker.messages,
    rooms: {
      total: page.total,
      listed: page.rooms.map(({ id, name, participantCount }) => ({
        id,
        name,
        participants: participantCount,
      })),
    },
  };
}
