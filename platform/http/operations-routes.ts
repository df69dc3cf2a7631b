import express, { type RequestHandler, type Router } from 'express';
import type { Registry } from 'prom-client';
import type { ReadinessReport } from '../lifecycle/readiness.js';
import type { Logger } from '../logging/logger.js';
import type { ServerStatsBody } from '../protocol/rest-schemas.js';
import { requireBearer } from './bearer-token.js';
import { allowOnly } from './http-errors.js';

/** What the operator's routes answer from. */
export interface OperationsSources {
  readonly readiness: () => Promise<ReadinessReport>;
  readonly metrics: Registry;
  /** `--metrics-token`; empty: `/metrics` is open. */
  readonly metricsToken: string;
  readonly stats: () => Promise<ServerStatsBody>;
  readonly logger: Logger;
}

/**
 * For operators and orchestrators: `/healthz` (the process answers), `/readyz` (it should be
 * sent clients: 503 when not), `/metrics` (Prometheus text) and `/stats` (a JSON summary).
 */
export function operationsRoutes(sources: OperationsSources): Router {
  const router = express.Router();
  router
    .route('/healthz')
    .get((_request, response) => {
      response.json({ status: 'ok' });
    })
    .all(allowOnly('GET', 'HEAD'));
  router
    .route('/readyz')
    .get(async (_request, response) => {
      const report = await sources.readiness();
      response.status(report.ready ? 200 : 503).json(report);
    })
    .all(allowOnly('GET', 'HEAD'));
  const { metricsToken, metrics, logger } = sources;
  const message = 'GET /metrics needs Authorization: Bearer <token>';
  const guard: RequestHandler[] =
    metricsToken === ''
      ? []
      : [requireBearer(metricsToken, { realm: 'parley-metrics', message, logger })];
  router
    .route('/metrics')
    .get(...guard, async (_request, response) => {
      response.type(metrics.contentType).send(await metrics.metrics());
    })
    .all(allowOnly('GET', 'HEAD'));
  router
    .route('/stats')
    .get(async (_request, response) => {
      response.json(await sources.stats());
    })
    .all(allowOnly('GET', 'HEAD'));
  return router;
}
