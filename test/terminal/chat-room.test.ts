import { expect } from 'chai';
import { ChatProcess, killLeftoverChats } from '../support/chat-process.js';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';

describe('parley-chat over WebSocket (the real program, stdin and stdout as pipes)', function () {
  this.timeout(15_000);
  let server: TestServer;
  let roomId: string;
  let peer: TestClient;

  beforeEach(async () => {
    server = await startTestServer();
    roomId = await createRoom(server.url, 'Lobby');
    peer = await joinedClient(server.ws(joinPath(roomId, 'Peer')), 'Peer');
  });

  afterEach(async () => {
    killLeftoverChats();
    await peer.close();
    await server.stop();
  });

  const chat = (...args: string[]): ChatProcess =>
    ChatProcess.start(['--url', server.url, '--room', 'lobby', '--name', 'John', ...args]);

  const leftWith = (name: string) => (e: Record<string, unknown>) =>
    e.event_type === 'participant_left' && e.participant === name;

  it('finds the room by name, joins, sends what is typed and shows the room', async () => {
    const john = chat();
    await john.waitFor(/-- connected \(websocket\)/);
    await peer.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'John');
    john.type('hello from the terminal');
    await peer.waitFor((e) => e.event_type === 'message' && e.text === 'hello from the terminal');
    peer.send('hi John');
    await john.waitFor(/^\[\d\d:\d\d\] <Peer> hi John$/m);
    john.type('/list');
    await john.waitFor(/^\* In #Lobby \(2\): Peer, John$/m);
    john.endInput();
    expect(await john.exitCode()).to.equal(0);
    const left = await peer.waitFor(leftWith('John'));
    expect(left.reason).to.equal('quit');
  });

  it('piped stdin: sends every line in order and exits 0 after the last answer', async () => {
    const john = chat();
    const texts = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`);
    for (const text of texts) john.type(text);
    john.endInput();
    expect(await john.exitCode()).to.equal(0);
    const echoed = john.lines.filter((line) => line.includes('<John> line '));
    expect(echoed.map((line) => line.replace(/^.*<John> /, ''))).to.deep.equal(texts);
    expect(john.lines.at(-2)).to.equal('* Goodbye.'); // the last answer, then the closed state
    const said = peer.events.filter((e) => e.event_type === 'message').map((e) => e.text);
    expect(said).to.deep.equal(texts);
    expect((await peer.waitFor(leftWith('John'))).reason).to.equal('quit');
  });

  it('--json: every event as one JSON line on stdout, the connection state on stderr', async () => {
    peer.send('before you came');
    await peer.waitFor((e) => e.event_type === 'message' && e.seq === 1);
    const john = chat('--json');
    john.type('scripted');
    john.endInput();
    expect(await john.exitCode()).to.equal(0);
    const events = john.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => e.event_type)).to.deep.equal([
      'message',
      'participant_joined',
      'message',
      'goodbye',
    ]);
    expect(events[0]).to.include({ seq: 1, text: 'before you came', history: true });
    expect(events[2]).to.include({ seq: 2, participant: 'John', text: 'scripted' });
    expect(john.stderr).to.match(/-- connected \(websocket\)/);
  });

  it('Ctrl-C (SIGINT) leaves cleanly: the room sees reason quit, exit code 0', async () => {
    const john = chat();
    await john.waitFor(/-- connected/);
    john.process.kill('SIGINT');
    expect(await john.exitCode()).to.equal(0);
    expect((await peer.waitFor(leftWith('John'))).reason).to.equal('quit');
  });

  it('--to NICK: every line is a private message to NICK in another room, and the reply comes back', async () => {
    const denId = await createRoom(server.url, 'Den');
    const ann = await joinedClient(server.ws(joinPath(denId, 'Ann')), 'Ann');
    const john = chat('--to', 'Ann');
    await john.waitFor(/-- connected/);
    john.type('psst, Ann');
    const whisper = await ann.waitFor((e) => e.event_type === 'private_message');
    expect(whisper).to.include({ from: 'John', to: 'Ann', text: 'psst, Ann' });
    ann.send('/msg @John got it');
    await john.waitFor(/\[private\] <Ann> got it$/m);
    peer.send('room chatter'); // the room John waits in is not shown in one-to-one mode
    john.type('/quit');
    expect(await john.exitCode()).to.equal(0);
    expect(john.stdout).to.match(/\[private to Ann\] <John> psst, Ann/);
    expect(john.stdout).not.to.include('room chatter');
    expect(ann.events.filter((e) => e.event_type === 'message')).to.deep.equal([]);
    await ann.close();
  });

  it('tells why the server refused and exits 1 (nickname taken)', async () => {
    const taken = ChatProcess.start(['--url', server.url, '--room', 'Lobby', '--name', 'peer']);
    expect(await taken.exitCode()).to.equal(1);
    expect(taken.stdout).to.match(/nickname_taken/);
  });

  it('refuses missing options when stdin is not a terminal: usage error, exit 2', async () => {
    const missing = ChatProcess.start(['--url', server.url]);
    expect(await missing.exitCode()).to.equal(2);
    expect(missing.stderr).to.include('missing --name, --room');
  });
});
