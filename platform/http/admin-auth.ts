import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger.js';
import { WireError } from '../protocol/error-catalogue.js';

/**
 * Lets through requests whose `Authorization: Bearer <token>` is the admin token; any other
 * gets 401 `unauthorized` and a warning in the log that never holds what was sent. Both tokens
 * are hashed first, so the comparison is constant-time whatever their lengths.
 */
export function adminAuth(token: string, logger: Logger): RequestHandler {
  const expected = digest(token);
  return (request, response, next) => {
    const given = bearerToken(request.headers.authorization);
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    const problem = given === undefined ? 'missing' : 'wrong';
    const { method } = request;
    const path = request.baseUrl + request.path;
    const peer = request.socket.remoteAddress;
    logger.warn({ method, path, peer, problem }, 'admin request refused: token missing or wrong');
    response.setHeader('WWW-Authenticate', 'Bearer realm="parley-admin"');
    next(
      new WireError('unauthorized', 'this needs the admin token: Authorization: Bearer <token>'),
    );
  };
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
