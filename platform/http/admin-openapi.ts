import { ADMIN_SCHEMAS, MessageSearchQuerySchema } from '../protocol/admin-schemas.js';
import { componentSchemasOf, queryParameters, type JsonSchema } from './openapi-schemas.js';

const ref = (name: keyof typeof ADMIN_SCHEMAS | 'Error') => ({
  $ref: `#/components/schemas/${name}`,
});
const json = (schema: object) => ({ 'application/json': { schema } });
const errorAnswer = (description: string) => ({ description, content: json(ref('Error')) });
const ANY_ERROR = { $ref: '#/components/responses/Error' };

/** Every admin operation: the bearer token, and the answers without it or with the API off. */
const SECURED = { security: [{ bearerAuth: [] }], tags: ['admin'] };
const UNAUTHORIZED = errorAnswer('unauthorized: the bearer token is missing or wrong');
const OFF = 'not_found: the admin API is off (no --admin-token)';

/** The bearer security scheme the admin operations name. */
export const ADMIN_SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description: 'The server’s --admin-token (PARLEY_ADMIN_TOKEN)',
  },
};

/**
 * The admin API's operations (docs/protocol.md, "Admin API"), for openapi.ts to merge into its
 * paths: `DELETE /chat/{id}` is merged into that path's other operations.
 * @param roomIdParameter the `{id}` path parameter as the document declares it
 */
export function adminPaths(roomIdParameter: object): Record<string, Record<string, object>> {
  return {
    '/admin/broadcast': {
      post: {
        ...SECURED,
        summary: 'Send an announcement to every connected client, on every transport',
        requestBody: { required: true, content: json(ref('BroadcastBody')) },
        responses: {
          200: {
            description: 'Sent; `recipients` counts the clients',
            content: json(ref('Broadcast')),
          },
          400: errorAnswer('invalid_admin_request (blank or too long text) or invalid_json'),
          401: UNAUTHORIZED,
          404: errorAnswer(OFF),
          default: ANY_ERROR,
        },
      },
    },
    '/chat/{id}': {
      delete: {
        ...SECURED,
        summary: 'Delete a room: its participants get room_closed (close 4410), its history goes',
        parameters: [roomIdParameter],
        responses: {
          200: { description: 'Deleted', content: json(ref('DeletedRoom')) },
          401: UNAUTHORIZED,
          404: errorAnswer(`room_not_found, or ${OFF}`),
          503: errorAnswer('storage_unavailable: the deletion could not be stored'),
          default: ANY_ERROR,
        },
      },
    },
    '/admin/rooms/{id}/kick': {
      post: {
        ...SECURED,
        summary: 'Disconnect one participant (kicked, close 4010), telling them why',
        parameters: [roomIdParameter],
        requestBody: { required: true, content: json(ref('KickBody')) },
        responses: {
          200: { description: 'Disconnected', content: json(ref('Kicked')) },
          400: errorAnswer('invalid_admin_request or invalid_json'),
          401: UNAUTHORIZED,
          404: errorAnswer(`room_not_found, participant_not_found, or ${OFF}`),
          default: ANY_ERROR,
        },
      },
    },
    '/admin/messages': {
      get: {
        ...SECURED,
        summary: 'Search stored messages (plain text, any case), newest first, bounded and paged',
        parameters: queryParameters(MessageSearchQuerySchema),
        responses: {
          200: { description: 'Matches, and where to go on', content: json(ref('MessageSearch')) },
          400: errorAnswer('invalid_admin_request'),
          401: UNAUTHORIZED,
          404: errorAnswer(`room_not_found, or ${OFF}`),
          default: ANY_ERROR,
        },
      },
    },
  };
}

/** ADMIN_SCHEMAS as JSON Schemas for `components.schemas`. */
export function adminComponentSchemas(): Record<string, JsonSchema> {
  return componentSchemasOf(ADMIN_SCHEMAS);
}
