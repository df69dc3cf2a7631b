import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_CATALOGUE, type WireErrorCode } from '../protocol/error-catalogue.js';
import { errorView } from '../protocol/rest-views.js';

/** How long a refused client has to read its answer before the socket is cut. */
const READ_GRACE_MS = 2000;

/**
 * Answers on a bare socket, outside any HTTP handler, with a real HTTP status and the JSON
 * error body every error answer has, then closes: for refusing an upgrade before anything is
 * committed, or a connection the server cannot take. What the client still sends is read and
 * discarded, so its answer is not lost to a reset.
 */
export function refuseRaw(socket: Duplex, code: WireErrorCode, message: string): void {
  const status = ERROR_CATALOGUE[code].status;
  const body = JSON.stringify(errorView(code, message));
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.resume();
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), READ_GRACE_MS).unref();
}

/**
 * Answers a request with the JSON error body and closes its connection, for refusals made
 * before the request reaches the app (so it is never handed to Express).
 */
export function refuseRequest(
  response: ServerResponse,
  code: WireErrorCode,
  message: string,
): void {
  const body = JSON.stringify(errorView(code, message));
  response.shouldKeepAlive = false;
  response.writeHead(ERROR_CATALOGUE[code].status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}
