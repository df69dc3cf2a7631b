import { z } from 'zod';
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX } from '../../business/chat/history-page.js';
import { ROOM_PAGE_DEFAULT, ROOM_PAGE_MAX } from '../../business/chat/room-page.js';
import { ERROR_CATALOGUE, type WireErrorCode } from './error-catalogue.js';

/**
 * The shapes of the REST API's bodies, as zod schemas: the views in rest-views.ts are typed by
 * them (`z.infer`), and the OpenAPI document's schemas are generated from them
 * (`z.toJSONSchema`), so code and document cannot say different things. A test validates real
 * answers of every route against the generated document.
 */

const isoTime = z.iso.datetime().meta({ example: '2026-11-22T10:00:00.000Z' });

/** A room id: a KSUID, 27 characters of [0-9A-Za-z], growing with creation time. */
export const RoomIdSchema = z
  .string()
  .regex(/^[0-9A-Za-z]{27}$/)
  .meta({ description: 'Room id (27-character KSUID)', example: '2SzErhA2PvYGjf4PQ4pvTh9BfE0' });

/** `POST /chat` answer: Chatty's exact shape. */
export const CreatedRoomSchema = z.object({ id: RoomIdSchema, name: z.string() });

/** One entry of `GET /chat`. */
export const RoomSummarySchema = z.object({
  id: RoomIdSchema,
  name: z.string(),
  participants: z.int().min(0).meta({ description: 'How many are in the room now' }),
  created_at: isoTime,
});

/** `GET /chat`: a page of rooms, oldest first. */
export const RoomListSchema = z.array(RoomSummarySchema).max(ROOM_PAGE_MAX);

/** Someone in a room. */
export const ParticipantSchema = z.object({ name: z.string(), joined_at: isoTime });

/** `GET /chat/:id`: the room, who is in it (the first 1,000) and how many there are. */
export const RoomDetailsSchema = z.object({
  id: RoomIdSchema,
  name: z.string(),
  created_at: isoTime,
  participants: z
    .array(ParticipantSchema)
    .max(1000)
    .meta({ description: 'In join order, the first 1,000' }),
  participant_count: z
    .int()
    .min(0)
    .meta({ description: 'How many are in the room, listed or not' }),
});

/** A message of a history page: the keys of the WebSocket `message` event, less `event_type`. */
export const HistoryMessageSchema = z.object({
  id: z.string(),
  seq: z.int().min(1).meta({ description: "Position in the room's history, from 1, no gaps" }),
  participant: z.string(),
  text: z.string(),
  sent_at: isoTime,
});

/** `GET /chat/:id/messages`: a page of history, oldest first. */
export const HistoryPageSchema = z.object({
  room: RoomIdSchema,
  messages: z.array(HistoryMessageSchema).max(HISTORY_PAGE_MAX),
});

const errorCodes = Object.keys(ERROR_CATALOGUE) as [WireErrorCode, ...WireErrorCode[]];

/** The body of every error answer. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes).meta({ description: 'Stable; docs/protocol.md lists them all' }),
    message: z.string().meta({ description: 'A sentence for a person; may change' }),
  }),
});

/** `POST /chat` body: Chatty sends `?name=` instead, which wins when both are given. */
export const CreateRoomBodySchema = z.looseObject({
  name: z.string().meta({ description: 'Room name, 1–100 characters' }),
});

/** `GET /chat` query. */
export const RoomListQuerySchema = z.object({
  after: RoomIdSchema.optional().meta({
    description: 'the id of the last room of the previous page (the `Link: rel="next"` header)',
  }),
  limit: z.int().min(1).max(ROOM_PAGE_MAX).default(ROOM_PAGE_DEFAULT),
});

/** `GET /chat/:id/messages` query. */
export const HistoryQuerySchema = z.object({
  after: z.int().min(0).optional().meta({ description: 'the page starts after this seq' }),
  before: z.int().min(1).optional().meta({ description: 'the page ends before this seq' }),
  limit: z.int().min(1).max(HISTORY_PAGE_MAX).default(HISTORY_PAGE_DEFAULT),
});

const goTime = z.string().meta({
  description: 'RFC 3339 with nanoseconds, as Go writes it; 0001-01-01T00:00:00Z when never',
  example: '2026-12-02T04:34:25.677000000Z',
});

/** chattypantz's server settings (`info` and `options` of `/v1.0/stats`). */
export const PantzInfoSchema = z.object({
  version: z.string().optional(),
  name: z.string(),
  hostname: z.string(),
  UUID: z.string().optional(),
  port: z.int(),
  profPort: z.int(),
  maxConns: z.int(),
  maxRooms: z.int(),
  maxIdle: z.int(),
  maxProcs: z.int().optional(),
  debugEnabled: z.boolean(),
});

/** One chattypantz connection in `/v1.0/stats`. */
export const PantzChatterStatsSchema = z.object({
  nickname: z.string(),
  remoteAddr: z.string(),
  start: goTime,
  lastReq: goTime,
  lastRsp: goTime,
  reqcount: z.int().min(0),
  rspCount: z.int().min(0),
});

/** One room in `/v1.0/stats` (every room, not only chattypantz's). */
export const PantzRoomStatsSchema = z.object({
  name: z.string(),
  start: goTime,
  lastReq: goTime,
  lastRsp: goTime,
  reqcount: z.int().min(0),
  rspCount: z.int().min(0),
  chatters: z.array(z.object({ nickname: z.string(), remoteAddr: z.string() })),
});

/** `GET /v1.0/stats`: chattypantz's statistics, filled with Parley's figures. */
export const PantzStatsSchema = z.object({
  info: PantzInfoSchema,
  options: PantzInfoSchema,
  stats: z.object({
    startTime: goTime,
    reqCount: z.int().min(0),
    reqBytes: z.int().min(0),
    routeStats: z.record(z.string(), z.object({ requestCount: z.int().min(0) })),
    chatterStats: z.array(PantzChatterStatsSchema),
    roomStats: z.array(PantzRoomStatsSchema),
  }),
  memStats: z.record(z.string(), z.number()),
});

/** The schemas the OpenAPI document lists under `components.schemas`, by name. */
/** `GET /readyz`: each check, and whether all pass. */
export const ReadinessSchema = z
  .object({
    ready: z.boolean(),
    checks: z.object({
      accepting: z.boolean().describe('false once shutdown has begun'),
      memory: z.boolean().describe('false while the memory guard sheds clients'),
      storage: z.boolean().describe('false when the data directory refuses a probe write'),
      broker: z.boolean().describe('false when the event broker is disconnected'),
    }),
  })
  .describe('Readiness: 200 when ready, 503 when not');

/** `GET /healthz`. */
export const HealthSchema = z.object({ status: z.literal('ok') }).describe('The process answers');

const TransportStatsSchema = z.object({
  name: z.string(),
  connections: z.int().min(0),
  deliveries: z.int().min(0).describe('events written to its clients since the start'),
  errors: z.record(z.string(), z.int().min(0)).describe('errors its clients were shown, by code'),
});

/** `GET /stats`: a summary like chattypantz's, with Parley's figures. */
export const ServerStatsSchema = z.object({
  version: z.string(),
  name: z.string(),
  node: z
    .string()
    .optional()
    .describe("this node's id among the nodes sharing a Redis (--storage redis only)"),
  startedAt: z.string().describe('ISO 8601'),
  uptimeSeconds: z.number().min(0),
  options: z
    .object({
      storage: z.string(),
      maxConnections: z.int().min(0),
      maxRooms: z.int().min(0),
      idleSeconds: z.number().min(0),
      maxMessageBytes: z.int().min(0),
      sendBufferLimit: z.int().min(0),
    })
    .describe('The limits in force (never secrets)'),
  transports: z.array(TransportStatsSchema),
  messagesIn: z.int().min(0).describe("room messages posted by this node's clients"),
  rooms: z.object({
    total: z.int().min(0),
    listed: z
      .array(z.object({ id: z.string(), name: z.string(), participants: z.int().min(0) }))
      .describe(
        'the first page of rooms (oldest first, at most 100) with their participant counts',
      ),
  }),
});

export const REST_SCHEMAS = {
  CreatedRoom: CreatedRoomSchema,
  RoomSummary: RoomSummarySchema,
  RoomList: RoomListSchema,
  Participant: ParticipantSchema,
  RoomDetails: RoomDetailsSchema,
  HistoryMessage: HistoryMessageSchema,
  HistoryPage: HistoryPageSchema,
  Error: ErrorBodySchema,
  CreateRoomBody: CreateRoomBodySchema,
  PantzStats: PantzStatsSchema,
  Readiness: ReadinessSchema,
  Health: HealthSchema,
  ServerStats: ServerStatsSchema,
} as const;

export type CreatedRoomBody = z.infer<typeof CreatedRoomSchema>;
export type RoomSummaryBody = z.infer<typeof RoomSummarySchema>;
export type RoomDetailsBody = z.infer<typeof RoomDetailsSchema>;
export type HistoryPageBody = z.infer<typeof HistoryPageSchema>;
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
export type PantzStatsBody = z.infer<typeof PantzStatsSchema>;
export type ServerStatsBody = z.infer<typeof ServerStatsSchema>;
