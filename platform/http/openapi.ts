import { z } from 'zod';
import {
  HistoryQuerySchema,
  REST_SCHEMAS,
  RoomIdSchema,
  RoomListQuerySchema,
} from '../protocol/rest-schemas.js';
import { ADMIN_SECURITY_SCHEMES, adminComponentSchemas, adminPaths } from './admin-openapi.js';
import { componentSchemasOf, queryParameters, withoutDialect } from './openapi-schemas.js';

/** A JSON Schema as the OpenAPI document carries it. */

const ref = (name: keyof typeof REST_SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });

/** An answer whose body is the shared error shape; `code` says which error it is. */
const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

const json = (schema: object) => ({ 'application/json': { schema } });

/**
 * Errors any request can meet, whatever the path: a method the path does not take (405, with
 * `Allow`), headers too slow (408) or too large (431), the server full or shutting down (503),
 * or a bug (500).
 */
const ANY_ERROR = { $ref: '#/components/responses/Error' };

/**
 * The OpenAPI 3.1 description of the REST API, served at `/docs/openapi.json` and rendered by
 * Swagger UI at `/docs`. Every schema in it is generated from the zod schemas of
 * rest-schemas.ts, which also type the answers; a test validates real answers against it.
 */
export function openApiDocument(
  version: string,
  auth: { bearer: boolean } = { bearer: false },
): object {
  const admin = adminPaths(roomIdParameter());
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Parley',
      version,
      description:
        'Chat rooms. Create a room here, then join it over WebSocket at ' +
        '`/chat/join?name=<nickname>&room=<id>` (see docs/protocol.md for the events).',
    },
    paths: {
      '/ping': {
        get: {
          summary: 'Liveness check',
          responses: {
            200: {
              description: 'Alive',
              content: { 'text/plain': { schema: { type: 'string', const: 'pong' } } },
            },
            default: ANY_ERROR,
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness: the process answers',
          responses: {
            200: { description: 'Alive', content: json(ref('Health')) },
            default: ANY_ERROR,
          },
        },
      },
      '/readyz': {
        get: {
          summary: 'Readiness: whether this node should be sent new clients',
          description:
            'Not ready while shutting down, while the memory guard sheds clients, when the data ' +
            'directory refuses a probe write, or when the event broker is disconnected.',
          responses: {
            200: { description: 'Ready', content: json(ref('Readiness')) },
            503: { description: 'Not ready; `checks` says why', content: json(ref('Readiness')) },
            default: ANY_ERROR,
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics of this node',
          description:
            'Prometheus text format. With `--metrics-token`, needs `Authorization: Bearer <token>`.',
          responses: {
            200: {
              description: 'The metrics',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            401: errorAnswer('unauthorized'),
            default: ANY_ERROR,
          },
        },
      },
      '/stats': {
        get: {
          summary: 'A JSON summary of this node: version, uptime, limits, totals, rooms',
          responses: {
            200: { description: 'The summary', content: json(ref('ServerStats')) },
            default: ANY_ERROR,
          },
        },
      },
      '/v1.0/alive': {
        get: {
          summary: 'chattypantz liveness check',
          description: '200 with an empty body, as chattypantz answers (docs/protocol.md).',
          responses: { 200: { description: 'Alive (empty body)' }, default: ANY_ERROR },
        },
      },
      '/v1.0/stats': {
        get: {
          summary: 'chattypantz statistics, filled with Parley’s figures',
          description:
            'chattypantz’s own shape (note `reqcount` beside `rspCount`); docs/protocol.md ' +
            'says which fields Parley cannot fill.',
          responses: {
            200: { description: 'The statistics', content: json(ref('PantzStats')) },
            default: ANY_ERROR,
          },
        },
      },
      '/chat': {
        get: {
          summary: 'A page of the rooms, oldest first, with their participant counts',
          parameters: queryParameters(RoomListQuerySchema),
          responses: {
            200: {
              description: 'A page of rooms; the next page is named by the `Link` header',
              headers: {
                'X-Total-Count': {
                  description: 'Rooms there are in all',
                  schema: { type: 'integer', minimum: 0 },
                },
                Link: {
                  description: '`</chat?after=…&limit=…>; rel="next"`, absent on the last page',
                  schema: { type: 'string' },
                },
              },
              content: json(ref('RoomList')),
            },
            400: errorAnswer('invalid_room_query'),
            default: ANY_ERROR,
          },
        },
        post: {
          summary: 'Create a room (Chatty-compatible)',
          parameters: [
            {
              name: 'name',
              in: 'query',
              description: 'Room name, 1–100 characters; or send a JSON body {"name": …}',
              schema: { type: 'string' },
            },
          ],
          requestBody: { required: false, content: json(ref('CreateRoomBody')) },
          responses: {
            201: {
              description: 'Created',
              headers: {
                Location: { description: '`/chat/<id>`', schema: { type: 'string' } },
              },
              content: json(ref('CreatedRoom')),
            },
            400: errorAnswer('invalid_room_name, invalid_json or invalid_request'),
            403: errorAnswer('room_limit_reached: the server holds --rooms rooms'),
            413: errorAnswer('payload_too_large: the body is over 16 KiB'),
            429: errorAnswer(
              'too_many_rooms_created: --room-creation-rate rooms a minute from this address',
            ),
            415: errorAnswer('unsupported_encoding: a body encoding or charset not read'),
            503: errorAnswer('storage_unavailable: the room could not be stored'),
            default: ANY_ERROR,
          },
        },
      },
      '/chat/{id}': {
        get: {
          summary: 'One room and its participants',
          parameters: [roomIdParameter()],
          responses: {
            200: { description: 'The room', content: json(ref('RoomDetails')) },
            404: errorAnswer('room_not_found'),
            default: ANY_ERROR,
          },
        },
        ...admin['/chat/{id}'],
      },
      '/chat/{id}/messages': {
        get: {
          summary: 'A page of the room’s history by seq, oldest first',
          parameters: [roomIdParameter(), ...queryParameters(HistoryQuerySchema)],
          responses: {
            200: { description: 'A page of history', content: json(ref('HistoryPage')) },
            400: errorAnswer('invalid_history_query'),
            404: errorAnswer('room_not_found'),
            default: ANY_ERROR,
          },
        },
        post: {
          summary:
            'Send as the participant of a Server-Sent Events stream (a message or a /command)',
          description:
            'The body is the text, in any content type. What it leads to (the message, an ' +
            'answer, an error) arrives on the stream, as over WebSocket.',
          parameters: [
            roomIdParameter(),
            {
              name: 'Parley-Session',
              in: 'header',
              required: true,
              description: 'The key of the stream’s first event',
              schema: { type: 'string' },
            },
          ],
          requestBody: {
            required: true,
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          responses: {
            202: { description: 'Taken in, in order' },
            401: errorAnswer('invalid_session: the key names no open stream of this room'),
            413: errorAnswer('payload_too_large: over --max-message-bytes'),
            429: errorAnswer(
              'rate_limited (past --rate-limit; not taken) or flooding (the stream ends too)',
            ),
            default: ANY_ERROR,
          },
        },
      },
      '/chat/{id}/events': {
        get: {
          summary: 'Join the room as a Server-Sent Events stream',
          description:
            'Each event’s `data:` is the JSON a WebSocket client gets (`id:` is a message’s ' +
            'seq); the first is `{"event_type":"session","session":KEY}`. A join that cannot ' +
            'happen is answered with its status and JSON error, before any stream.',
          parameters: [
            roomIdParameter(),
            { name: 'name', in: 'query', required: true, schema: { type: 'string' } },
            HISTORY_PARAMETER,
          ],
          responses: {
            200: {
              description: 'The stream',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            400: errorAnswer('invalid_request or invalid_nickname'),
            404: errorAnswer('room_not_found'),
            403: errorAnswer(
              "origin_not_allowed (see --allowed-origins), forbidden_room (the token's rooms claim)",
            ),
            409: errorAnswer('nickname_taken'),
            429: errorAnswer('too_many_connections: --max-connections-per-ip from this address'),
            503: errorAnswer('server_full, overloaded or shutting_down: try again later'),
            default: ANY_ERROR,
          },
        },
      },
      '/chat/join': {
        get: {
          summary: 'Join a room (WebSocket upgrade only)',
          description:
            'Upgrade to WebSocket. Text frames in are messages; JSON events come out. ' +
            'A plain HTTP GET is answered 426.',
          parameters: [
            { name: 'name', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'room', in: 'query', required: true, schema: { type: 'string' } },
            HISTORY_PARAMETER,
          ],
          responses: {
            101: { description: 'Switching protocols' },
            403: errorAnswer('origin_not_allowed: see --allowed-origins'),
            426: errorAnswer('upgrade_required: a plain HTTP request, not an upgrade'),
            429: errorAnswer('too_many_connections: --max-connections-per-ip from this address'),
            503: errorAnswer('server_full, overloaded or shutting_down: try again later'),
            default: ANY_ERROR,
          },
        },
      },
      '/admin/broadcast': admin['/admin/broadcast'],
      '/admin/rooms/{id}/kick': admin['/admin/rooms/{id}/kick'],
      '/admin/messages': admin['/admin/messages'],
    },
    components: {
      securitySchemes: ADMIN_SECURITY_SCHEMES,
      schemas: { ...componentSchemasOf(REST_SCHEMAS), ...adminComponentSchemas() },
      responses: {
        Error: errorAnswer(
          'An error; `code` is stable (docs/protocol.md lists them all). Any request may get ' +
            '405 (with `Allow`), 408, 431, 503 or 500.',
        ),
      },
    },
  };
  return auth.bearer ? withBearerSecurity(document) : document;
}

const HISTORY_PARAMETER = {
  name: 'history',
  in: 'query',
  required: false,
  description: '0 or false: no replay of recent messages on joining (default 1)',
  schema: { type: 'string', enum: ['0', '1', 'false', 'true'] },
};

function roomIdParameter(): object {
  const schema = withoutDialect(z.toJSONSchema(RoomIdSchema));
  return { name: 'id', in: 'path', required: true, description: schema.description, schema };
}

/** The operations that need a token when tokens are on (`--jwt-secret`, `--jwt-public-key`). */
const SECURED: readonly (readonly [string, string])[] = [
  ['/chat', 'post'],
  ['/chat/{id}/messages', 'post'],
  ['/chat/{id}/events', 'get'],
  ['/chat/join', 'get'],
];

/** The document with the bearer scheme on the operations that need a token. */
function withBearerSecurity<D extends { paths: object; components: object }>(document: D): D {
  const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
  for (const [path, method] of SECURED) {
    const operation = paths[path]?.[method];
    if (operation === undefined) continue;
    operation.security = [{ bearer: [] }];
    operation.responses = {
      ...(operation.responses as object),
      401: errorAnswer('auth_required, invalid_token or token_expired: see docs/protocol.md'),
    };
  }
  const securitySchemes = {
    bearer: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        'A JWT (HS256, RS256 or ES256, as configured) whose `sub` is the nickname; browsers ' +
        'pass it as `?token=` on WebSocket and SSE URLs instead.',
    },
  };
  const components = document.components as { securitySchemes?: object };
  return {
    ...document,
    components: {
      ...document.components,
      securitySchemes: { ...components.securitySchemes, ...securitySchemes },
    },
  };
}
