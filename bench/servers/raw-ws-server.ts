import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import { messageEvent } from './message-event.js';
import { listenAndAnnounce, peerHttpServer } from './peer-http.js';

/**
 * The plain baseline: express + ws, one room map, each message JSON-encoded once and
 * `ws.send` to every member (ws frames it again for each socket). Nothing stored, no
 * validation, no ids. What most tutorials build.
 */
const rooms = new Map<string, Set<WebSocket>>();
const server = peerHttpServer();
const wss = new WebSocketServer({
  server,
  path: '/join',
  perMessageDeflate: false,
  maxPayload: 64 * 1024,
});

wss.on('connection', (ws, request) => {
  const params = new URL(request.url ?? '/', 'http://x').searchParams;
  const room = params.get('room') ?? '';
  const name = params.get('name') ?? '';
  const members = rooms.get(room) ?? new Set<WebSocket>();
  rooms.set(room, members);
  members.add(ws);
  ws.send('{"event_type":"joined"}');
  ws.on('message', (data) => {
    const text = (data as Buffer).toString();
    const json = JSON.stringify(messageEvent(room, name, text));
    for (const member of members) member.send(json);
  });
  ws.on('close', () => members.delete(ws));
});

listenAndAnnounce(server);
