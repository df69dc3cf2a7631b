import express, { type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { RoomService } from '../../business/chat/room-service.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { Logger } from '../logging/logger.js';
import { allowOnly, errorResponder, notFound } from './http-errors.js';
import { openApiDocument } from './openapi.js';
import { pantzRoutes, type PantzServerSettings } from './pantz-routes.js';
import type { PantzChatters } from '../dialects/pantz-chatters.js';
import { operationsRoutes, type OperationsSources } from './operations-routes.js';
import { roomsRoutes } from './rooms-routes.js';
import { securityHeaders } from './security-headers.js';
import { adminRoutes, type AdminRoutesDependencies } from './admin-routes.js';
import type { SseRoutes } from '../sse/sse-transport.js';
import { webClientFiles } from './web-client.js';

/** What the HTTP app serves from. */
export interface HttpAppDependencies {
  readonly rooms: RoomService;
  readonly logger: Logger;
  readonly version: string;
  /** The Server-Sent Events transport's routes, when it is on. */
  readonly sse?: SseRoutes;
  /** `/healthz`, `/readyz`, `/metrics`, `/stats`, when served. */
  readonly operations?: OperationsSources;
  /** chattypantz's `/v1.0/alive` and `/v1.0/stats`, when served. */
  readonly pantz?: { readonly chatters: PantzChatters; readonly settings: PantzServerSettings };
  /** When set, creating a room needs a bearer token (and the OpenAPI document says so). */
  readonly tokens?: TokenVerifier;
  /** The admin API (off, answering 404, when its token is ''). */
  readonly admin: Omit<AdminRoutesDependencies, 'logger'>;
}

/** The REST API: `/ping`, the operator's routes, `/chat…`, chattypantz's `/v1.0/…`, the SSE streams, and the documentation at `/docs`. */
export function createHttpApp(dependencies: HttpAppDependencies): Express {
  const { rooms, logger, version, sse, pantz, operations, tokens, admin } = dependencies;
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app
    .route('/ping')
    .get((_request, response) => {
      response.type('text/plain').send('pong');
    })
    .all(allowOnly('GET', 'HEAD'));
  if (operations !== undefined) app.use(operationsRoutes(operations));
  if (sse !== undefined) app.route('/chat/:id/events').get(sse.openStream).all(allowOnly('GET'));
  app.use(adminRoutes({ ...admin, logger }));
  app.use(roomsRoutes(rooms, sse?.postMessage, tokens));
  if (pantz !== undefined) app.use(pantzRoutes(rooms, pantz.chatters, pantz.settings));
  const document = openApiDocument(version, { bearer: tokens !== undefined });
  app.get('/docs/openapi.json', (_request, response) => {
    response.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document));
  app.use('/client', webClientFiles());
  app.use(notFound);
  app.use(errorResponder(logger));
  return app;
}
