import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { HttpConnections } from './http-connections.js';
import { refuseRaw, refuseRequest } from './raw-refusal.js';
import { requestTarget } from './request-target.js';

const BAD_TARGET = 'the request target is not a valid URL';

/**
 * What every request and upgrade passes before the app or the WebSocket gateway sees it:
 * connections refused for the budget get their `503`, and a request target that is not a URL
 * gets a `400` with the JSON error body (Express would answer it with an HTML page).
 */
export function httpFront(app: RequestListener, connections: HttpConnections): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const refusal = connections.refusalFor(request.socket);
    if (refusal !== undefined) refuseRequest(response, refusal.code, refusal.message);
    else if (requestTarget(request.url) === undefined)
      refuseRequest(response, 'invalid_request', BAD_TARGET);
    else app(request, response);
  };
}

/** The same checks for upgrade requests, in front of the WebSocket gateway's listener. */
export function upgradeFront(
  gateway: (request: IncomingMessage, socket: Duplex, head: Buffer) => void,
  connections: HttpConnections,
): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (request, socket, head) => {
    connections.handOver(socket as Socket);
    const refusal = connections.refusalFor(socket as Socket);
    if (refusal !== undefined) refuseRaw(socket, refusal.code, refusal.message);
    else gateway(request, socket, head);
  };
}
