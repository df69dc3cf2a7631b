import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { FrameClient } from '../../support/frame-client.js';
import { freeTcpPort, LineClient } from '../../support/line-client.js';
import { createRoom } from '../../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../../support/test-server.js';
import { joinedClient, type TestClient } from '../../support/ws-client.js';

/**
 * MaChat's own clients (minaandrawos/machat @ 1e431f3), their bytes replayed exactly:
 * - cmd/examplechatclients/chattcpclient/chattcpclient.go: `conn.Write(json.Marshal({name,room}))`
 *   with no line end (line 43), then `fmt.Fprintf(conn, msg+"\n")` per typed line (line 48); it
 *   prints every line it receives (lines 30-33).
 * - cmd/examplechatclients/chatwebsocketclient/chatwebsocketclient.go: dials `/mychat` with an
 *   Origin of `http://localhost:8099/` and no subprotocol (lines 19-24), sends the handshake as one
 *   text frame (`websocket.JSON.Send`), then one frame per line *with* its `\n`; it reads the
 *   frames as one stream split on `\n`.
 */
class MachatTcp {
  raw = '';
  readonly ended: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (this.raw += text));
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async dial(port: number): Promise<MachatTcp> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', resolve).once('error', reject),
    );
    return new MachatTcp(socket);
  }

  /** The handshake exactly as `json.Marshal` writes it: keys in order, no line end. */
  handshake(name: string, room: string): void {
    this.socket.write(JSON.stringify({ name, room }));
  }

  type(line: string): void {
    this.socket.write(`${line}\n`);
  }

  /** What the client prints: the received lines (its Scanner drops the CR before each LF). */
  get lines(): string[] {
    return this.raw
      .split('\n')
      .slice(0, -1)
      .map((line) => line.replace(/\r$/, ''));
  }

  async waitFor(pattern: RegExp | string, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const match = (line: string): boolean =>
      typeof pattern === 'string' ? line === pattern : pattern.test(line);
    for (;;) {
      const hit = this.lines.find(match);
      if (hit !== undefined) return hit;
      if (Date.now() > deadline) {
        throw new Error(`no line matching ${String(pattern)}; got ${JSON.stringify(this.lines)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Seed clients: MaChat', () => {
  let server: TestServer;
  let port: number;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    server = await startTestServer({ storage: 'memory', tcpPort: await freeTcpPort() });
    port = server.parley.tcpPort ?? 0;
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await server.stop();
  });

  async function tcpClient(): Promise<MachatTcp> {
    const client = await MachatTcp.dial(port);
    cleanups.push(() => client.socket.destroy());
    return client;
  }

  async function wsClient(): Promise<FrameClient> {
    const client = await FrameClient.connect(server.ws('/mychat'), 'http://localhost:8099/');
    cleanups.push(() => client.socket.terminate());
    return client;
  }

  it('two TCP clients, two /mychat clients, a Chatty app and a telnet user share one room', async () => {
    const roomId = await createRoom(server.url, 'dev');
    const ann = await tcpClient();
    ann.handshake('Ann', 'dev');
    await ann.waitFor('* Ann joined #dev');
    const bob = await tcpClient();
    bob.handshake('Bob', 'dev');
    await bob.waitFor('* Bob joined #dev');
    const cleo = await wsClient();
    cleo.send(JSON.stringify({ name: 'Cleo', room: 'dev' }));
    await cleo.waitForLine('* Cleo joined #dev');
    const dex = await wsClient();
    dex.send(JSON.stringify({ name: 'Dex', room: 'dev' }));
    await dex.waitForLine('* Dex joined #dev');
    const dana: TestClient = await joinedClient(server.ws(joinPath(roomId, 'Dana')), 'Dana');
    cleanups.push(() => dana.socket.terminate());
    const eve = await LineClient.telnet(port, 'Eve', 'dev');
    cleanups.push(() => eve.close());

    await sleep(300); // the user starts typing well after the greeting delay
    ann.type('hello from Ann');
    await bob.waitFor('Ann:hello from Ann');
    bob.type('hi Ann, 100%!s(MISSING) sure'); // Fprintf(conn, msg+"\n") mangles %: bytes as sent
    cleo.send('ws says hi\n');
    dex.send('two lines\nin one frame\n');
    dana.send('Dana here');
    eve.send('Eve on telnet');
    for (const client of [ann, bob]) {
      await client.waitFor('Eve:Eve on telnet');
      await client.waitFor('Dana:Dana here');
      await client.waitFor('Cleo:ws says hi');
      await client.waitFor('Bob:hi Ann, 100%!s(MISSING) sure');
    }
    await cleo.waitForLine('Bob:hi Ann, 100%!s(MISSING) sure');
    await cleo.waitForLine('Eve:Eve on telnet');
    await cleo.waitForLine('Dex:in one frame');
    await dex.waitForLine('Cleo:ws says hi');
    await ann.waitFor('Dex:two lines');
    await eve.waitFor(/^\[\d\d:\d\d\] <Cleo> ws says hi$/); // the frame's \n is not part of it
    await dana.waitFor((e) => e.event_type === 'message' && e.text === 'ws says hi');

    // nothing but room traffic: no welcome or prompt ever reached a MaChat client
    for (const lines of [ann.lines, bob.lines, cleo.lines, dex.lines]) {
      expect(lines.filter((line) => /Welcome|nickname\?|Which room/.test(line))).to.deep.equal([]);
    }
    // every frame /mychat sent is complete lines
    expect(cleo.frames.every((frame) => frame.endsWith('\n'))).to.equal(true);

    // private messages both ways, across dialects
    ann.type('/msg @Eve psst from MaChat');
    await eve.waitFor('[private] <Ann> psst from MaChat');
    eve.send('/msg @Cleo psst from telnet');
    await cleo.waitForLine('[private] Eve:psst from telnet');

    // leaves, the way the client shows any line
    bob.socket.end();
    await ann.waitFor('* Bob left');
    await cleo.close();
    await ann.waitFor('* Cleo left');
    await dex.waitForLine('* Cleo left');
    await eve.waitFor('* Cleo left');
  });

  it('takes a handshake with no line end together with the lines that follow it in one segment', async () => {
    const eve = await LineClient.telnet(port, 'Eve', 'dev');
    cleanups.push(() => eve.close());
    const fast = await tcpClient();
    // what the server received when the client's stdin was already full (run `machat-fast`)
    fast.socket.write('{"name":"fast","room":"dev"}one\ntwo\nthree\n');
    await eve.waitFor(/<fast> three$/);
    expect(
      eve.lines.filter((line) => / <fast> /.test(line)).map((l) => l.split('> ')[1]),
    ).to.deep.equal(['one', 'two', 'three']);
  });

  it('takes a handshake that arrives after the greeting (a slow client) as the handshake', async () => {
    const eve = await LineClient.telnet(port, 'Eve', 'dev');
    cleanups.push(() => eve.close());
    const slow = await tcpClient();
    await slow.waitFor('Your nickname?'); // the greeting went out: the server took it for a person
    slow.handshake('Slow', 'dev');
    await slow.waitFor('* Slow joined #dev');
    await sleep(50);
    slow.type('made it');
    await eve.waitFor(/<Slow> made it$/);
    expect(slow.lines.filter((line) => line.startsWith('! error'))).to.deep.equal([]);
  });

  it('/mychat: nothing is said before the handshake; a first frame that is not one closes with 4400', async () => {
    const quiet = await wsClient();
    await sleep(300);
    expect(quiet.frames).to.deep.equal([]);
    quiet.send('hello\n');
    const closed = await quiet.closed;
    expect(closed).to.deep.equal({ code: 4400, reason: 'invalid_request' });
    expect(quiet.lines).to.deep.equal([
      '! error invalid_request: the first message must be the handshake {"name":"…","room":"…"}',
    ]);
  });

  it('/mychat answers the upgrade as x/net requires: no extension, no subprotocol header', async () => {
    const probe = connect(Number(new URL(server.url).port), '127.0.0.1');
    cleanups.push(() => probe.destroy());
    // the request x/net wrote, as tapped (run `machat`): an Origin, no protocol, no extension
    probe.write(
      'GET /mychat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://localhost:8099/\r\n' +
        'Sec-WebSocket-Version: 13\r\n\r\n',
    );
    const head = await new Promise<string>((resolve, reject) => {
      let received = '';
      probe.setEncoding('latin1');
      probe.on('error', reject);
      probe.on('data', (text: string) => {
        received += text;
        if (received.includes('\r\n\r\n')) resolve(received.split('\r\n\r\n')[0] ?? '');
      });
    });
    const [status, ...fields] = head.split('\r\n');
    const headers: Record<string, string> = { status: status ?? '' };
    for (const field of fields) {
      const at = field.indexOf(':');
      headers[field.slice(0, at).toLowerCase()] = field.slice(at + 1).trim();
    }
    expect(headers.status).to.equal('HTTP/1.1 101 Switching Protocols');
    expect(headers.connection).to.equal('Upgrade');
    expect(headers.upgrade).to.equal('websocket');
    expect(headers['sec-websocket-accept']).to.equal('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(headers).not.to.have.property('sec-websocket-extensions');
    expect(headers).not.to.have.property('sec-websocket-protocol');
  });
});
