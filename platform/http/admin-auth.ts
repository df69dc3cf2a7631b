import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger.js';
import { requireBearer } from './bearer-token.js';

/** Lets through requests that carry the admin token (see requireBearer). */
export function adminAuth(token: string, logger: Logger): RequestHandler {
  return requireBearer(token, {
    realm: 'parley-admin',
    message: 'this needs the admin token: Authorization: Bearer <token>',
    logger,
  });
}
