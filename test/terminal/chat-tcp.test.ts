import { expect } from 'chai';
import { ChatProcess, killLeftoverChats } from '../support/chat-process.js';
import { freeTcpPort } from '../support/line-client.js';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';

describe('parley-chat --tcp (the TCP line port, MaChat handshake)', function () {
  this.timeout(15_000);
  let server: TestServer;
  let tcpPort: number;
  let peer: TestClient;

  beforeEach(async () => {
    tcpPort = await freeTcpPort();
    server = await startTestServer({ tcpPort });
    const roomId = await createRoom(server.url, 'Lobby');
    peer = await joinedClient(server.ws(joinPath(roomId, 'Peer')), 'Peer');
  });

  afterEach(async () => {
    killLeftoverChats();
    await peer.close();
    await server.stop();
  });

  const tcpChat = (...args: string[]): ChatProcess =>
    ChatProcess.start(['--tcp', `127.0.0.1:${tcpPort}`, '--room', 'lobby', ...args]);

  it('joins the room by name, sends what is typed, shows the room, and leaves at end of input', async () => {
    const tee = tcpChat('--name', 'Tee');
    await tee.waitFor(/^\* Tee joined #Lobby$/m);
    tee.type('hello over tcp');
    const said = await peer.waitFor((e) => e.event_type === 'message' && e.participant === 'Tee');
    expect(said.text).to.equal('hello over tcp');
    peer.send('hi Tee');
    await tee.waitFor(/^Peer:hi Tee$/m);
    tee.endInput();
    expect(await tee.exitCode()).to.equal(0);
    expect(tee.stdout).to.include('* Good Bye, come back again.');
    const left = await peer.waitFor(
      (e) => e.event_type === 'participant_left' && e.participant === 'Tee',
    );
    expect(left.reason).to.equal('quit');
  });

  it('--to NICK over TCP: lines go to NICK as private messages', async () => {
    const tee = tcpChat('--name', 'Tee', '--to', 'Peer');
    await tee.waitFor(/^\* Tee joined #Lobby$/m);
    tee.type('just for you');
    const whisper = await peer.waitFor((e) => e.event_type === 'private_message');
    expect(whisper).to.include({ from: 'Tee', to: 'Peer', text: 'just for you' });
    peer.send('room chatter');
    peer.send('/msg @Tee back at you');
    await tee.waitFor(/^\[private\] Peer:back at you$/m);
    tee.type('/quit');
    expect(await tee.exitCode()).to.equal(0);
    expect(tee.stdout).not.to.include('room chatter'); // one-to-one: the room is not shown
  });

  it('--json over TCP: each line as a JSON object', async () => {
    const tee = tcpChat('--name', 'Tee', '--json');
    tee.type('/quit');
    expect(await tee.exitCode()).to.equal(0);
    const lines = tee.lines.map((line) => (JSON.parse(line) as { line: string }).line);
    expect(lines).to.deep.equal(['* Tee joined #Lobby', '* Good Bye, come back again.']);
  });

  it('a refused handshake (nickname taken) is told and exits 1', async () => {
    const taken = tcpChat('--name', 'peer');
    expect(await taken.exitCode()).to.equal(1);
    expect(taken.stdout).to.match(/^! error nickname_taken: /m);
    expect(taken.stdout).to.include('the server refused to join (nickname_taken)');
  });
});
