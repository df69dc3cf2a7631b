import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isChatError } from '../../business/chat/chat-error.js';
import type { Logger } from '../logging/logger.js';
import {
  ERROR_CATALOGUE,
  INTERNAL_ERROR_MESSAGE,
  WireError,
  type WireErrorCode,
} from '../protocol/error-catalogue.js';
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
 * `{"error":{"code","message"}}`. A client's mistake is logged at debug level, without a
 * stack; anything unexpected is logged as an error and answered 500 without details.
 */
export function errorResponder(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const [code, message] = describe(error, logger, request.path);
    response.status(ERROR_CATALOGUE[code].status).json(errorView(code, message));
  };
}

function describe(error: unknown, logger: Logger, path: string): [WireErrorCode, string] {
  if (isChatError(error) || error instanceof WireError) return [error.code, error.message];
  const clientError = clientMistake(error);
  if (clientError !== undefined) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.debug({ path, code: clientError[0], reason }, 'refused a bad request');
    return clientError;
  }
  logger.error({ err: error, path }, 'unexpected error answering an HTTP request');
  return ['internal_error', INTERNAL_ERROR_MESSAGE];
}

/**
 * Errors the request itself caused, as the libraries under Express report them: body-parser
 * with a `type`, the router (a path that is not valid percent-encoding) and zlib (a broken
 * compressed body) with a 4xx `status`. Whatever library raised it, a 4xx status is the
 * client's doing, never a 500.
 */
function clientMistake(error: unknown): [WireErrorCode, string] | undefined {
  const { type, status, statusCode } = error as {
    type?: unknown;
    status?: unknown;
    statusCode?: unknown;
  };
  const byType = BODY_ERRORS[String(type)];
  if (byType !== undefined) return byType;
  const httpStatus = typeof status === 'number' ? status : statusCode;
  if (typeof httpStatus !== 'number' || httpStatus < 400 || httpStatus > 499) return undefined;
  if (error instanceof URIError)
    return ['invalid_request', 'the path is not valid percent-encoding'];
  if (httpStatus === 413) return ['payload_too_large', 'the request body is too large'];
  if (httpStatus === 415) return UNSUPPORTED_BODY;
  return ['invalid_request', 'the request body could not be read'];
}

const UNSUPPORTED_BODY: [WireErrorCode, string] = [
  'unsupported_encoding',
  'the request body is in an encoding or charset this server does not read',
];

const BODY_ERRORS: Readonly<Record<string, [WireErrorCode, string]>> = {
  'entity.parse.failed': ['invalid_json', 'the request body is not valid JSON'],
  'entity.too.large': ['payload_too_large', 'the request body is too large'],
  'encoding.unsupported': UNSUPPORTED_BODY,
  'charset.unsupported': UNSUPPORTED_BODY,
};
