import express, { type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { RoomService } from '../../business/chat/room-service.js';
import type { Logger } from '../logging/logger.js';
import { allowOnly, errorResponder, notFound } from './http-errors.js';
import { openApiDocument } from './openapi.js';
import { pantzRoutes, type PantzServerSettings } from './pantz-routes.js';
import type { PantzChatters } from '../dialects/pantz-chatters.js';
import { roomsRoutes } from './rooms-routes.js';
import { adminRoutes, type AdminRoutesDependencies } from './admin-routes.js';
import type { SseRoutes } from '../sse/sse-transport.js';

/** What the HTTP app serves from. */
export interface HttpAppDependencies {
  readonly rooms: RoomService;
  readonly logger: Logger;
  readonly version: string;
  /** The Server-Sent Events transport's routes, when it is on. */
  readonly sse?: SseRoutes;
  /** chattypantz's `/v1.0/alive` and `/v1.0/stats`, when served. */
  readonly pantz?: { readonly chatters: PantzChatters; readonly settings: PantzServerSettings };
  /** The admin API (off, answering 404, when its token is ''). */
  readonly admin: Omit<AdminRoutesDependencies, 'logger'>;
}

/** The REST API: `/ping`, `/chat…`, chattypantz's `/v1.0/…`, the SSE streams, and the documentation at `/docs`. */
export function createHttpApp(dependencies: HttpAppDependencies): Express {
  const { rooms, logger, version, sse, pantz, admin } = dependencies;
  const app = express();
  app.disable('x-powered-by');
  app
    .route('/ping')
    .get((_request, response) => {
      response.type('text/plain').send('pong');
    })
    .all(allowOnly('GET', 'HEAD'));
  if (sse !== undefined) app.route('/chat/:id/events').get(sse.openStream).all(allowOnly('GET'));
  app.use(adminRoutes({ ...admin, logger }));
  app.use(roomsRoutes(rooms, sse?.postMessage));
  if (pantz !== undefined) app.use(pantzRoutes(rooms, pantz.chatters, pantz.settings));
  const document = openApiDocument(version);
  app.get('/docs/openapi.json', (_request, response) => {
    response.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document));
  app.use(notFound);
  app.use(errorResponder(logger));
  return app;
}
