import type { Duplex } from 'node:stream';
import type { WireErrorCode } from '../protocol/error-catalogue.js';
import { refuseRaw } from './raw-refusal.js';

/**
 * The HTTP server's `clientError` listener: a request Node's parser refused (not HTTP, headers
 * too large, headers too slow: slowloris) is answered with its status and the JSON error body
 * every error answer has, where Node alone would send a bare status line.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  refuseRaw(socket, ...describeClientError(error.code));
}

function describeClientError(code: string | undefined): [WireErrorCode, string] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return ['request_timeout', 'the request took too long to arrive'];
    case 'HPE_HEADER_OVERFLOW':
      return ['headers_too_large', 'the request headers are too large'];
    default:
      return ['invalid_request', 'the request is not valid HTTP'];
  }
}
