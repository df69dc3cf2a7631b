import express, { type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { RoomService } from '../../business/chat/room-service.js';
import type { Logger } from '../logging/logger.js';
import { allowOnly, errorResponder, notFound } from './http-errors.js';
import { openApiDocument } from './openapi.js';
import { roomsRoutes } from './rooms-routes.js';
import type { SseRoutes } from '../sse/sse-transport.js';

/** What the HTTP app serves from. */
export interface HttpAppDependencies {
  readonly rooms: RoomService;
  readonly logger: Logger;
  readonly version: string;
  /** The Server-Sent Events transport's routes, when it is on. */
  readonly sse?: SseRoutes;
}

/** The REST API: `/ping`, `/chat…`, the SSE streams, and the documentation at `/docs`. */
export function createHttpApp({ rooms, logger, version, sse }: HttpAppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app
    .route('/ping')
    .get((_request, response) => {
      response.type('text/plain').send('pong');
    })
    .all(allowOnly('GET', 'HEAD'));
  if (sse !== undefined) app.route('/chat/:id/events').get(sse.openStream).all(allowOnly('GET'));
  app.use(roomsRoutes(rooms, sse?.postMessage));
  const document = openApiDocument(version);
  app.get('/docs/openapi.json', (_request, response) => {
    response.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document));
  app.use(notFound);
  app.use(errorResponder(logger));
  return app;
}
