import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isChatError } from '../../business/chat/chat-error.js';
import type { Logger } from '../logging/logger.js';
import { ERROR_CATALOGUE, WireError, type WireErrorCode } from '../protocol/error-catalogue.js';
import { errorView } from '../protocol/rest-views.js';

/** Answers 404 for any path no route claimed. */
export const notFound: RequestHandler = (request, _response, next) => {
  next(new WireError('not_found', `no resource at ${request.path}`));
};

/**
 * Answers 405 with an `Allow` header for methods a path does not define, and answers OPTIONS
 * with the same header.
 */
export function allowOnly(...methods: string[]): RequestHandler {
  const allow = methods.join(', ');
  return (request, response, next) => {
    response.setHeader('Allow', allow);
    if (request.method === 'OPTIONS') {
      response.status(204).end();
      return;
    }
    next(
      new WireError('method_not_allowed', `${request.method} is not allowed here; use ${allow}`),
    );
  };
}

/**
 * The one place HTTP errors become answers: a status from the error catalogue and a JSON body
 * `{"error":{"code","message"}}`. Anything unexpected is logged and answered 500 without
 * details.
 */
export function errorResponder(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const [code, message] = describe(error, logger, request.path);
    response.status(ERROR_CATALOGUE[code].status).json(errorView(code, message));
  };
}

function describe(error: unknown, logger: Logger, path: string): [WireErrorCode, string] {
  if (isChatError(error) || error instanceof WireError) return [error.code, error.message];
  const bodyError = bodyParserError(error);
  if (bodyError !== undefined) return bodyError;
  logger.error({ err: error, path }, 'unexpected error answering an HTTP request');
  return ['internal_error', 'the server could not handle this request; it has been logged'];
}

// express.json() reports bad bodies as errors with a `type`; map the two a client can cause.
function bodyParserError(error: unknown): [WireErrorCode, string] | undefined {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.parse.failed') return ['invalid_json', 'the request body is not valid JSON'];
  if (type === 'entity.too.large') return ['payload_too_large', 'the request body is too large'];
  return undefined;
}
