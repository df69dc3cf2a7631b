import { Server as SocketIo } from 'socket.io';
import { messageEvent } from './message-event.js';
import { listenAndAnnounce, peerHttpServer } from './peer-http.js';

/**
 * Socket.IO 4.8 on the websocket transport only (no polling, no deflate): rooms are Socket.IO
 * rooms, a message is `io.to(room).emit('message', …)`, which Socket.IO encodes once per
 * broadcast and writes pre-framed to each socket.
 */
const server = peerHttpServer();
const io = new SocketIo(server, {
  transports: ['websocket'],
  perMessageDeflate: false,
  maxHttpBufferSize: 64 * 1024,
});

io.on('connection', (socket) => {
  let joined: { room: string; name: string } | undefined;
  socket.on('join', (request: { room: string; name: string }) => {
    joined = request;
    void socket.join(request.room);
    socket.emit('joined');
  });
  socket.on('say', (text: string) => {
    if (joined === undefined) return;
    io.to(joined.room).emit('message', messageEvent(joined.room, joined.name, text));
  });
});

listenAndAnnounce(server);
