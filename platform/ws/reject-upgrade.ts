import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_CATALOGUE, type WireErrorCode } from '../protocol/error-catalogue.js';
import { errorView } from '../protocol/rest-views.js';

/**
 * Refuses a WebSocket upgrade with a real HTTP answer (status + JSON error body) before any
 * resources are committed, then closes the socket.
 */
export function rejectUpgrade(socket: Duplex, code: WireErrorCode, message: string): void {
  const status = ERROR_CATALOGUE[code].status;
  const body = JSON.stringify(errorView(code, message));
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}
