import express, { type Request, type Router } from 'express';
import type { AdminService } from '../../business/admin/admin-service.js';
import type { MessageSearch } from '../../business/admin/message-search.js';
import { parseSearchQuery } from '../../business/admin/search-query.js';
import type { Logger } from '../logging/logger.js';
import {
  broadcastView,
  deletedRoomView,
  kickedView,
  messageSearchView,
} from '../protocol/admin-views.js';
import { WireError } from '../protocol/error-catalogue.js';
import { adminAuth } from './admin-auth.js';
import { allowOnly } from './http-errors.js';

/** What the admin routes act with. */
export interface AdminRoutesDependencies {
  /** The admin token; '' turns the admin API off (every route answers 404). */
  readonly token: string;
  readonly admin: AdminService;
  readonly search: MessageSearch;
  readonly logger: Logger;
}

/**
 * The operator's API (docs/protocol.md, "Admin API"): `POST /admin/broadcast`,
 * `DELETE /chat/:id`, `POST /admin/rooms/:id/kick`, `GET /admin/messages`, each behind the
 * bearer token. Without a token they do not exist: 404, as any unknown path.
 */
export function adminRoutes(dependencies: AdminRoutesDependencies): Router {
  const { token, admin, search, logger } = dependencies;
  const router = express.Router();
  if (token === '') {
    router.delete('/chat/:id', (request) => {
      throw new WireError('not_found', `no resource at ${request.path}`);
    });
    return router;
  }
  const auth = adminAuth(token, logger);
  const body = express.json({ limit: '16kb' });
  router.delete('/chat/:id', auth, async (request, response) => {
    const deleted = await admin.deleteRoom(String(request.params.id));
    logger.info({ room: deleted.room.id, disconnected: deleted.disconnected }, 'room deleted');
    response.json(deletedRoomView(deleted));
  });
  router.use('/admin', auth);
  router
    .route('/admin/broadcast')
    .post(body, (request, response) => {
      const announcement = admin.announce(field(request, 'text'));
      logger.info({ recipients: announcement.recipients }, 'announcement sent');
      response.json(broadcastView(announcement));
    })
    .all(allowOnly('POST'));
  router
    .route('/admin/rooms/:id/kick')
    .post(body, async (request, response) => {
      const participant = field(request, 'participant');
      await admin.kick(request.params.id, participant, field(request, 'reason'));
      logger.info({ room: request.params.id, participant }, 'participant kicked');
      response.json(kickedView(request.params.id, String(participant)));
    })
    .all(allowOnly('POST'));
  router
    .route('/admin/messages')
    .get(async (request, response) => {
      const { q, room, from, to, limit, cursor } = request.query;
      const answer = await search.search(parseSearchQuery({ q, room, from, to, limit, cursor }));
      response.json(messageSearchView(answer));
    })
    .all(allowOnly('GET', 'HEAD'));
  return router;
}

function field(request: Request, name: string): unknown {
  const body: unknown = request.body;
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}
