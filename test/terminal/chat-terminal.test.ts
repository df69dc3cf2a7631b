import { expect } from 'chai';
import { ChatProcess, killLeftoverChats } from '../support/chat-process.js';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';

/** SGR colour codes (not the cursor movements readline writes on any terminal). */
const ESC = '\u001b';
const COLOUR = new RegExp(`${ESC}\\[(3\\d|9\\d|1)m`);

describe('parley-chat on a terminal (a pseudo-terminal through util-linux script)', function () {
  this.timeout(15_000);
  let server: TestServer;
  let peer: TestClient;

  beforeEach(async () => {
    server = await startTestServer();
    const roomId = await createRoom(server.url, 'Lobby');
    peer = await joinedClient(server.ws(joinPath(roomId, 'Peer')), 'Peer');
  });

  afterEach(async () => {
    killLeftoverChats();
    await peer.close();
    await server.stop();
  });

  it('asks for the server, the nickname and the room when they are missing, then joins', async () => {
    const john = ChatProcess.startInTerminal([]);
    await john.waitFor(/Server \[http:\/\/localhost:8080\]: /);
    john.type(server.url);
    await john.waitFor(/Your nickname: /);
    john.type('John');
    await john.waitFor(/Room \(a name or an id; a new name creates the room\): /);
    john.type('Lobby');
    await peer.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'John');
    await john.waitFor(/-- connected \(websocket\)/);
    john.type('/quit');
    expect(await john.exitCode()).to.equal(0);
  });

  it('keeps the prompt and what is being typed intact when a message arrives, in colour', async () => {
    const john = ChatProcess.startInTerminal([
      '--url',
      server.url,
      '--room',
      'Lobby',
      '--name',
      'John',
    ]);
    await john.waitFor(/\* John joined/);
    john.process.stdin?.write('half-typ');
    await john.waitFor(/half-typ/);
    peer.send('interrupting');
    await john.waitFor(/interrupting/);
    await john.waitFor(new RegExp(`interrupting[^]*#Lobby John> (${ESC}\\[\\d+G)?half-typ`));
    john.type('ed');
    const said = await peer.waitFor((e) => e.event_type === 'message' && e.participant === 'John');
    expect(said.text).to.equal('half-typed');
    john.type('/quit');
    expect(await john.exitCode()).to.equal(0);
    expect(john.stdout).to.match(COLOUR);
  });

  it('NO_COLOR: no colours on the terminal', async () => {
    const john = ChatProcess.startInTerminal(
      ['--url', server.url, '--room', 'Lobby', '--name', 'John'],
      {
        NO_COLOR: '1',
      },
    );
    await john.waitFor(/\* John joined/);
    john.type('/quit');
    expect(await john.exitCode()).to.equal(0);
    expect(john.stdout).not.to.match(COLOUR);
  });

  it('Ctrl-C typed on the terminal leaves cleanly: the room sees reason quit, exit 0', async () => {
    const john = ChatProcess.startInTerminal([
      '--url',
      server.url,
      '--room',
      'Lobby',
      '--name',
      'John',
    ]);
    await john.waitFor(/\* John joined/);
    john.process.stdin?.write('\u0003'); // what the terminal sends for Ctrl-C in raw mode
    expect(await john.exitCode()).to.equal(0);
    const left = await peer.waitFor(
      (e) => e.event_type === 'participant_left' && e.participant === 'John',
    );
    expect(left.reason).to.equal('quit');
  });
});
