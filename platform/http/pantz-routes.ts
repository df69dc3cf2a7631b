import { randomUUID } from 'node:crypto';
import express, { type Response, type Router } from 'express';
import { ROOM_PAGE_MAX } from '../../business/chat/room-page.js';
import type { RoomService } from '../../business/chat/room-service.js';
import type { PantzChatters } from '../dialects/pantz-chatters.js';
import { pantzStatsView, type PantzServerFigures } from '../protocol/pantz-stats-view.js';
import { PANTZ_PATH } from '../ws/upgrade-route.js';
import { allowOnly } from './http-errors.js';

/** What `/v1.0/stats` reports besides what it counts itself. */
export type PantzServerSettings = Omit<PantzServerFigures, 'routeCounts' | 'startTime'>;

/**
 * chattypantz's HTTP API (composer22/chattypantz@6c94499 server/server.go): `/v1.0/alive`
 * answers 200 with an empty body, `/v1.0/stats` its statistics, both with its headers.
 */
export function pantzRoutes(
  rooms: RoomService,
  chatters: PantzChatters,
  settings: PantzServerSettings,
): Router {
  const router = express.Router();
  const startTime = Date.now();
  const hits = { '/v1.0/alive': 0, '/v1.0/stats': 0 };
  router
    .route('/v1.0/alive')
    .get((_request, response) => {
      hits['/v1.0/alive']++;
      withPantzHeaders(response).status(200).end();
    })
    .all(allowOnly('GET', 'HEAD'));
  router
    .route('/v1.0/stats')
    .get(async (_request, response) => {
      hits['/v1.0/stats']++;
      const routeCounts = { ...hits, [PANTZ_PATH]: chatters.connections };
      const page = await rooms.list({ limit: ROOM_PAGE_MAX });
      const details = await Promise.all(page.rooms.map((room) => rooms.get(room.id)));
      const body = pantzStatsView(
        { ...settings, startTime, routeCounts },
        chatters.list(),
        details,
      );
      withPantzHeaders(response).status(200).end(JSON.stringify(body));
    })
    .all(allowOnly('GET', 'HEAD'));
  return router;
}

function withPantzHeaders(response: Response): Response {
  response.setHeader('Content-Type', 'application/json;charset=utf-8');
  response.setHeader('X-Request-Id', randomUUID().toUpperCase());
  return response;
}
