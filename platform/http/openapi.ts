import { ERROR_CATALOGUE } from '../protocol/error-catalogue.js';

const errorBody = {
  description: 'An error; `code` is stable (docs/protocol.md lists them all).',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

const roomId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Room id (27-character KSUID).',
  schema: { type: 'string', example: '2SzErhA2PvYGjf4PQ4pvTh9BfE0' },
};

/**
 * The OpenAPI 3.1 description of the REST API, served at `/docs/openapi.json` and rendered by
 * Swagger UI at `/docs`. A test checks that every route the app serves is described here.
 */
export function openApiDocument(version: string): object {
  return {
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
            200: { description: 'Alive', content: { 'text/plain': { example: 'pong' } } },
          },
        },
      },
      '/chat': {
        get: {
          summary: 'List rooms with their participant counts',
          responses: {
            200: {
              description: 'Every room, oldest first',
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/RoomSummary' } },
                },
              },
            },
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
          requestBody: {
            required: false,
            content: {
              'application/json': {
                schema: { type: 'object', properties: { name: { type: 'string' } } },
              },
            },
          },
          responses: {
            201: {
              description: 'Created',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/CreatedRoom' } },
              },
            },
            400: errorBody,
            403: {
              ...errorBody,
              description: 'room_limit_reached: the server holds --rooms rooms',
            },
            413: errorBody,
          },
        },
      },
      '/chat/{id}': {
        get: {
          summary: 'One room and its participants',
          parameters: [roomId],
          responses: {
            200: {
              description: 'The room',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/RoomDetails' } },
              },
            },
            404: errorBody,
          },
        },
      },
      '/chat/{id}/messages': {
        get: {
          summary: 'A page of the room’s history by seq, oldest first',
          parameters: [
            roomId,
            {
              name: 'after',
              in: 'query',
              description: 'page starts after this seq',
              schema: { type: 'integer', minimum: 0 },
            },
            {
              name: 'before',
              in: 'query',
              description: 'page ends before this seq',
              schema: { type: 'integer', minimum: 1 },
            },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            },
          ],
          responses: {
            200: {
              description: '{ room, messages: [{ id, seq, participant, text, sent_at }] }',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            400: errorBody,
            404: errorBody,
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
          ],
          responses: {
            101: { description: 'Switching protocols' },
            426: errorBody,
            503: {
              ...errorBody,
              description: 'server_full, overloaded or shutting_down: try again later',
            },
          },
        },
      },
    },
    components: {
      schemas: {
        CreatedRoom: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'string' }, name: { type: 'string' } },
        },
        RoomSummary: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            participants: { type: 'integer', description: 'How many are in the room now' },
            created_at: { type: 'string', format: 'date-time' },
          },
        },
        RoomDetails: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            created_at: { type: 'string', format: 'date-time' },
            participants: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  joined_at: { type: 'string', format: 'date-time' },
                },
              },
            },
          },
        },
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: {
                code: { type: 'string', enum: Object.keys(ERROR_CATALOGUE) },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  };
}
