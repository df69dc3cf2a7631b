import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { textFrame } from '../../platform/ws/text-frame.js';
import { messageEvent } from './message-event.js';
import { listenAndAnnounce, peerHttpServer } from './peer-http.js';

/**
 * The practical ceiling for a Node room server: the raw baseline, but each broadcast is framed
 * once and the same Buffer is written to every member's TCP socket (what Socket.IO's
 * pre-encoded broadcast does), with each socket corked for the turn of the event loop so that
 * several messages leave in one system call.
 */
const rooms = new Map<string, Set<Socket>>();
const corked = new Set<Socket>();
const server = peerHttpServer();
const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  maxPayload: 64 * 1024,
});

function uncorkAll(): void {
  for (const socket of corked) socket.uncork();
  corked.clear();
}

function broadcast(members: Set<Socket>, json: string): void {
  const frame = textFrame(json);
  if (corked.size === 0) process.nextTick(uncorkAll);
  for (const socket of members) {
    if (!corked.has(socket)) {
      socket.cork();
      corked.add(socket);
    }
    socket.write(frame);
  }
}

server.on('upgrade', (request, socket, head) => {
  const params = new URL(request.url ?? '/', 'http://x').searchParams;
  const room = params.get('room') ?? '';
  const name = params.get('name') ?? '';
  wss.handleUpgrade(request, socket, head, (client) => {
    const tcp = socket as Socket;
    const members = rooms.get(room) ?? new Set<Socket>();
    rooms.set(room, members);
    members.add(tcp);
    client.send('{"event_type":"joined"}');
    client.on('message', (data) => {
      broadcast(members, JSON.stringify(messageEvent(room, name, (data as Buffer).toString())));
    });
    client.on('close', () => {
      members.delete(tcp);
      corked.delete(tcp);
    });
  });
});

listenAndAnnounce(server);
