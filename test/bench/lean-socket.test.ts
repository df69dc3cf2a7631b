import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parleyDialect } from '../../bench/load/dialects.js';
import { LeanSocket } from '../../bench/load/lean-socket.js';
import { readStamp, stampedText } from '../../bench/load/protocol.js';
import { eventually } from '../support/eventually.js';

/** The benchmark's load generator must count what it receives exactly, or every figure is wrong. */
describe('LeanSocket (bench load generator)', () => {
  let http: Server;
  let wss: WebSocketServer;
  let server: WebSocket | undefined;
  let port: number;
  const received: string[] = [];

  before(async () => {
    http = createServer();
    wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws) => {
      server = ws;
      ws.on('message', (data) => received.push((data as Buffer).toString()));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
  });

  after(async () => {
    wss.close();
    await new Promise((resolve) => http.close(resolve));
  });

  it('reads frames of every length encoding, split across reads, in order', async () => {
    const texts: string[] = [];
    const socket = await LeanSocket.connect(port, '/', {
      onText: (_s, buffer, start, end) => texts.push(buffer.toString('utf8', start, end)),
      onClose: () => undefined,
    });
    await eventually('the server side', () => server !== undefined);
    const sizes = [0, 5, 125, 126, 200, 65_535, 65_536, 200_000];
    for (const size of sizes) server?.send('x'.repeat(size));
    await eventually('every frame', () => texts.length === sizes.length);
    expect(texts.map((t) => t.length)).to.deep.equal(sizes);
    socket.close();
    server = undefined;
  });

  it('sends masked text frames the server accepts, and answers pings', async () => {
    const socket = await LeanSocket.connect(port, '/', {
      onText: () => undefined,
      onClose: () => undefined,
    });
    await eventually('the server side', () => server !== undefined);
    let pongs = 0;
    server?.on('pong', () => pongs++);
    socket.sendText('short');
    socket.sendText('y'.repeat(300));
    server?.ping();
    await eventually('both messages and a pong', () => received.length >= 2 && pongs === 1);
    expect(received.slice(-2)).to.deep.equal(['short', 'y'.repeat(300)]);
    socket.close();
  });

  it('reads back the send time it stamps, and recognises Parley message frames', () => {
    const before = Number(process.hrtime.bigint());
    const frame = Buffer.from(
      `{"event_type":"message","id":"x","seq":1,"text":"${stampedText()}"}`,
    );
    const stamp = readStamp(frame, 0, frame.length) ?? 0;
    expect(stamp).to.be.within(before, Number(process.hrtime.bigint()));
    expect(parleyDialect.isMessage(frame, 0, frame.length)).to.equal(true);
    const joined = Buffer.from('{"event_type":"participant_joined","participant":"a"}');
    expect(parleyDialect.isMessage(joined, 0, joined.length)).to.equal(false);
  });
});
