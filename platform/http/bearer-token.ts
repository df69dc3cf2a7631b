import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { bearerToken } from '../auth/token-verifier.js';
import type { Logger } from '../logging/logger.js';
import { WireError } from '../protocol/error-catalogue.js';

/** What a route guarded by a shared secret says when refused. */
export interface BearerGuardOptions {
  /** Named in `WWW-Authenticate` and the log line. */
  readonly realm: string;
  /** The refusal's sentence. */
  readonly message: string;
  readonly logger: Logger;
}

/**
 * Lets through requests whose `Authorization: Bearer <token>` is the expected secret (the admin
 * token, the metrics token); any other gets 401 `unauthorized` and a warning in the log that
 * never holds what was sent. Both sides are hashed first, so that the comparison is
 * constant-time whatever their lengths (comparing lengths first would tell the secret's).
 */
export function requireBearer(expected: string, options: BearerGuardOptions): RequestHandler {
  const wanted = digest(expected);
  return (request, response, next) => {
    const given = bearerToken(request.headers.authorization);
    if (given !== undefined && timingSafeEqual(digest(given), wanted)) {
      next();
      return;
    }
    const problem = given === undefined ? 'missing' : 'wrong';
    const { method } = request;
    const path = request.baseUrl + request.path;
    const peer = request.socket.remoteAddress;
    options.logger.warn(
      { method, path, peer, problem },
      `${options.realm} request refused: token missing or wrong`,
    );
    response.setHeader('WWW-Authenticate', `Bearer realm="${options.realm}"`);
    next(new WireError('unauthorized', options.message));
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
