import express, { type Request, type RequestHandler, type Router } from 'express';
import type { RoomService } from '../../business/chat/room-service.js';
import { peerAddressOf } from '../connections/peer.js';
import { bearerToken, type TokenVerifier } from '../auth/token-verifier.js';
import { WireError } from '../protocol/error-catalogue.js';
import {
  createdRoomView,
  historyPageView,
  roomDetailsView,
  roomSummaryView,
} from '../protocol/rest-views.js';
import { JOIN_PATH } from '../ws/join-path.js';
import { allowOnly } from './http-errors.js';

/**
 * `/chat`: create and list rooms (Chatty's `POST /chat?name=`), look one up, read its history,
 * and explain to plain HTTP clients that `/chat/join` is a WebSocket endpoint.
 * @param postMessage how a Server-Sent Events client sends to its room, when that transport is on
 * @param tokens when set, creating a room needs `Authorization: Bearer <token>`
 */
export function roomsRoutes(
  rooms: RoomService,
  postMessage?: RequestHandler[],
  tokens?: TokenVerifier,
): Router {
  const router = express.Router();
  router
    .route('/chat')
    .get(async (request, response) => {
      const { after, limit } = request.query;
      const page = await rooms.list({ after, limit });
      response.setHeader('X-Total-Count', String(page.total));
      if (page.next !== undefined) {
        const next = new URLSearchParams({ after: page.next, limit: String(page.rooms.length) });
        response.setHeader('Link', `</chat?${next.toString()}>; rel="next"`);
      }
      response.json(page.rooms.map(roomSummaryView));
    })
    .post(bearerRequired(tokens), express.json({ limit: '16kb' }), async (request, response) => {
      const room = await rooms.create(requestedName(request), peerAddressOf(request.socket));
      response.status(201).location(`/chat/${room.id}`).json(createdRoomView(room));
    })
    .all(allowOnly('GET', 'HEAD', 'POST'));
  router
    .route(JOIN_PATH)
    .get((_request, response) => {
      response.setHeader('Upgrade', 'websocket');
      throw new WireError('upgrade_required', `${JOIN_PATH} takes WebSocket connections only`);
    })
    .all(allowOnly('GET'));
  router
    .route('/chat/:id')
    .get(async (request, response) => {
      response.json(roomDetailsView(await rooms.get(request.params.id)));
    })
    .all(allowOnly('GET', 'HEAD'));
  const messages = router.route('/chat/:id/messages').get(async (request, response) => {
    const { after, before, limit } = request.query;
    const page = await rooms.history(request.params.id, { after, before, limit });
    response.json(historyPageView(request.params.id, page));
  });
  if (postMessage === undefined) messages.all(allowOnly('GET', 'HEAD'));
  else messages.post(...postMessage).all(allowOnly('GET', 'HEAD', 'POST'));
  return router;
}

// Chatty sends the name in the query string; a JSON body {"name": …} is accepted too.
function requestedName(request: Request): unknown {
  const fromQuery = request.query.name;
  if (fromQuery !== undefined) return fromQuery;
  const body: unknown = request.body;
  return typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
}

/** Refuses a request without a valid `Authorization: Bearer` token, when tokens are on. */
export function bearerRequired(tokens: TokenVerifier | undefined): RequestHandler {
  return async (request, _response, next) => {
    if (tokens === undefined) {
      next();
      return;
    }
    const token = bearerToken(request.get('Authorization'));
    if (token === undefined) {
      throw new WireError('auth_required', 'this server needs an Authorization: Bearer token');
    }
    await tokens.verify(token);
    next();
  };
}
