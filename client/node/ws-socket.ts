import WebSocket from 'ws';
import type { SocketOpener } from '../core/channel.js';

/** The `ws` package as the client core's WebSocket (Node has no WebSocket of its own before 22). */
export const openNodeSocket: SocketOpener = (url, events) => {
  const socket = new WebSocket(url);
  socket.on('open', () => events.open());
  socket.on('message', (data, isBinary) => {
    // binaryType 'nodebuffer' (the default): a text frame arrives as one Buffer.
    if (!isBinary) events.text((data as Buffer).toString());
  });
  socket.on('close', (code, reason) => events.close(code, reason.toString()));
  // A failed connection is reported by 'close' (code 1006), which always follows 'error'.
  socket.on('error', () => undefined);
  return {
    send: (text) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    },
    close: (code, reason) => socket.close(code, reason),
  };
};
