import type { SocketOpener } from '../core/channel.js';

/** The browser's own WebSocket as the client core's socket. */
export const openBrowserSocket: SocketOpener = (url, events) => {
  const socket = new WebSocket(url);
  socket.addEventListener('open', () => events.open());
  socket.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (typeof event.data === 'string') events.text(event.data);
  });
  // A refused or failed connection also ends here (code 1006), after an `error` event.
  socket.addEventListener('close', (event) => events.close(event.code, event.reason));
  return {
    send: (text) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    },
    close: (code, reason) => socket.close(code, reason),
  };
};
