import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { Tokens } from '../../../cmd/server/compose.js';
import { resolve } from '../../../cmd/server/tokens.js';
import { DEFAULT_CONFIG, type ParleyConfig } from '../../../platform/config/parley-config.js';
import { ChatrmPeer } from '../../support/chatrm-peer.js';
import { createRoom } from '../../support/rooms.js';
import { freeTcpPort, LineClient } from '../../support/line-client.js';
import { joinPath, startTestServer, type TestServer } from '../../support/test-server.js';
import { joinedClient } from '../../support/ws-client.js';
import { SseTestClient } from '../../support/sse-client.js';

// The bytes below are what Chatrm's own client writes and reads (lucas-flanagan/chatrm @
// b510dc060b82df01a0dee1c7748ba8f61b590e9c, client.go):
// - it connects first (client.go:74), then asks its user for a name and a peer (client.go:78-81);
// - it registers with `NAME_\n` (client.go:27-31: the port after `_` is never set);
// - each line its user types is sent as `SRC_DST_TEXT\n` (client.go:38-39);
// - it reads every line as `DST_SRC_TEXT`, printing fields 1 and 2 (client.go:48-53); any
//   line with fewer than two `_` crashes it (index out of range), as does the server closing.

describe('Chatrm port (--chatrm-port)', () => {
  let server: TestServer;
  let port: number;
  const peers: ChatrmPeer[] = [];
  const lines: LineClient[] = [];

  async function start(overrides: Partial<ParleyConfig> = {}): Promise<void> {
    server = await startTestServer({
      storage: 'memory',
      tcpPort: await freeTcpPort(),
      chatrmPort: await freeTcpPort(),
      ...overrides,
    });
    port = server.parley.chatrmPort ?? 0;
  }

  async function chatrm(name?: string): Promise<ChatrmPeer> {
    const peer = await ChatrmPeer.connect(port);
    peers.push(peer);
    if (name !== undefined) peer.write(`${name}_\n`);
    return peer;
  }

  async function registered(name: string): Promise<ChatrmPeer> {
    const peer = await chatrm(name);
    await waitPresent(name);
    return peer;
  }

  // Registered once the direct-messages room holds the name (nothing is said to the client).
  async function waitPresent(name: string): Promise<void> {
    const presence = resolve(server.parley.container, Tokens.Presence);
    for (let i = 0; i < 300; i++) {
      if ((await presence.locate(name)).length > 0) return;
      await sleep(10);
    }
    throw new Error(`${name} never registered`);
  }

  async function eventuallyTrue(check: () => boolean): Promise<void> {
    for (let i = 0; i < 300 && !check(); i++) await sleep(10);
    expect(check()).to.equal(true);
  }

  function drops(): number {
    return resolve(server.parley.container, Tokens.ChatrmDrops).count;
  }

  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.close();
    for (const line of lines.splice(0)) line.close();
    await server.stop();
  });

  it('is off by default', async () => {
    expect(DEFAULT_CONFIG.chatrmPort).to.equal(0);
    server = await startTestServer({ storage: 'memory' });
    expect(server.parley.chatrmPort).to.equal(undefined);
  });

  it('never speaks first and never times out a silent client, which registers seconds after connecting', async () => {
    // Idle, keepalive and close grace all far shorter than the silence below.
    await start({ idleTimeoutMs: 300, pingIntervalMs: 200, pongTimeoutMs: 100 });
    const alice = await chatrm();
    const bob = await chatrm();
    await sleep(1400); // over 4 idle timeouts, 7 ping intervals
    expect(alice.closed || bob.closed, 'still connected').to.equal(false);
    expect(alice.received + bob.received, 'nothing said first').to.equal('');
    alice.write('alice_\n');
    bob.write('bob_\n');
    await waitPresent('alice');
    await waitPresent('bob');
    await sleep(1000); // registered and quiet: still not let go
    alice.write('alice_bob_hi bob\n');
    await bob.receives('bob_alice_hi bob\n');
    expect(alice.received + bob.received).to.equal('bob_alice_hi bob\n');
  });

  it('lets two Chatrm users talk: exactly DST_SRC_TEXT lines, no echo, no notices, underscores kept', async () => {
    await start();
    const alice = await registered('alice');
    const bob = await registered('bob');
    alice.write('alice_bob_hi bob\n');
    await bob.receives('bob_alice_hi bob\n');
    bob.write('bob_alice_under_score text\n'); // Chatrm's own server cut this at "under"
    await alice.receives('alice_bob_under\uFF3Fscore text\n');
    alice.write('alice_bob_\n'); // an empty line typed: dropped silently
    alice.write('alice_bob_bye\r\n');
    await bob.receives('bob_alice_hi bob\nbob_alice_bye\n');
    const carol = await registered('carol'); // others coming and going say nothing
    carol.close();
    await sleep(200);
    expect(alice.received).to.equal('alice_bob_under\uFF3Fscore text\n');
    expect(bob.received).to.equal('bob_alice_hi bob\nbob_alice_bye\n');
  });

  it('lets an SSE user /msg a Chatrm user and get her answer', async () => {
    await start();
    const room = await createRoom(server.url, 'Lobby');
    const alice = await registered('alice');
    const stream = await SseTestClient.connect(server.url, room, 'Streamer');
    try {
      expect(await stream.post('/msg @alice hello from a stream')).to.be.within(200, 299);
      await alice.receives('alice_Streamer_hello from a stream\n');
      alice.write('alice_Streamer_hi stream\n');
      const answer = await stream.waitFor(
        (e) => e.event_type === 'private_message' && e.from === 'alice',
      );
      expect(answer).to.include({ to: 'Streamer', text: 'hi stream' });
    } finally {
      await stream.close();
    }
  });

  it('frees the name when a Chatrm client vanishes (no ghost): it can register again', async () => {
    await start();
    const first = await registered('alice');
    first.close(); // client.go panics at stdin EOF: the OS closes the socket
    await first.ended;
    const again = await chatrm('alice');
    const bob = await registered('bob');
    await waitPresent('alice');
    bob.write('bob_alice_welcome back\n');
    await again.receives('alice_bob_welcome back\n');
  });

  it('shares a nickname with someone in a room as Parley does: each reachable, #_direct picks the Chatrm user', async () => {
    await start();
    const room = await createRoom(server.url, 'Lobby');
    const other = await createRoom(server.url, 'Other');
    const roomAlice = await joinedClient(server.ws(joinPath(room, 'alice')), 'alice');
    const alice = await registered('alice'); // unique among direct-message users only
    const bob = await registered('bob');
    bob.write('bob_alice_to the chatrm alice\n'); // from the direct room: the one there
    await alice.receives('alice_bob_to the chatrm alice\n');
    const web = await joinedClient(server.ws(joinPath(other, 'Web')), 'Web');
    web.send('/msg @alice #_direct picked by room');
    await alice.receives('alice_bob_to the chatrm alice\nalice_Web_picked by room\n');
    web.send('/msg @alice ambiguous');
    const error = await web.waitFor((e) => e.event_type === 'error');
    expect(error).to.include({ code: 'ambiguous_participant' });
    expect(roomAlice.events.filter((e) => e.event_type === 'private_message')).to.have.length(0);
    await web.close();
    await roomAlice.close();
  });

  it('lets WebSocket and telnet users /msg a Chatrm user and get her answers as private messages', async () => {
    await start();
    const room = await createRoom(server.url, 'Lobby');
    const alice = await registered('alice');
    const web = await joinedClient(server.ws(joinPath(room, 'Web')), 'Web');
    const tel = await LineClient.telnet(server.parley.tcpPort ?? 0, 'Tel', 'Lobby');
    lines.push(tel);
    web.send('/msg @alice hello from the web');
    await alice.receives('alice_Web_hello from the web\n');
    alice.write('alice_Web_hi web\n');
    const answer = await web.waitFor(
      (e) => e.event_type === 'private_message' && e.from === 'alice',
    );
    expect(answer).to.include({ from: 'alice', to: 'Web', text: 'hi web' });
    tel.send('/msg @alice hello from telnet');
    await alice.receives('alice_Web_hello from the web\nalice_Tel_hello from telnet\n');
    alice.write('alice_Tel_hi tel\n');
    await tel.waitFor('[private] <alice> hi tel');
    web.send('/msg @alice two\nlines_and\u001b[2Jescapes'); // a WebSocket text may hold anything
    await alice.receives(
      'alice_Web_hello from the web\nalice_Tel_hello from telnet\n' +
        'alice_Web_two lines\uFF3Fand\uFFFD[2Jescapes\n',
    );
    await web.close(); // a leave in the room: nothing for alice
    await tel.finish();
    await sleep(200);
    expect(alice.received.split('\n')).to.have.length(4); // three lines and the empty tail
  });

  it('drops, logs and counts what cannot be delivered, and sends nothing for it', async () => {
    await start();
    const alice = await registered('alice');
    const bob = await registered('bob');
    const before = drops();
    alice.write('alice_nobody_are you there\n'); // nobody of that name
    alice.write('alice_only one underscore\n'); // not SRC_DST_TEXT
    alice.write('no underscore at all\n');
    alice.write('alice_ _blank destination\n');
    alice.write('alice_bob_   \n'); // no text
    alice.write('mallory_bob_sent as alice\n'); // SRC is not the registered name
    await bob.receives('bob_alice_sent as alice\n');
    expect(drops() - before).to.equal(5);
    expect(alice.received).to.equal('');
    expect(alice.closed).to.equal(false);
  });

  it('applies the rate limit to its lines, dropping refusals silently (counted), and closes a flooder', async () => {
    await start({ rateLimit: 0.001, rateBurst: 3 }); // the burst and no refill
    const alice = await registered('alice');
    const bob = await registered('bob');
    const before = drops();
    for (let i = 0; i < 5; i++) alice.write(`alice_bob_m${i}\n`);
    await bob.receives('bob_alice_m0\nbob_alice_m1\nbob_alice_m2\n');
    await eventuallyTrue(() => drops() - before === 2);
    expect(alice.received, 'nothing said to a Chatrm client').to.equal('');
    expect(alice.closed).to.equal(false);
    for (let i = 0; i < 10; i++) alice.write(`alice_bob_flood${i}\n`);
    await alice.ended;
    expect(alice.received).to.equal('');
    expect(bob.received).to.equal('bob_alice_m0\nbob_alice_m1\nbob_alice_m2\n');
  });

  it('delivers several messages to different recipients, written back to back, each in order', async () => {
    await start();
    const alice = await registered('alice');
    const bob = await registered('bob');
    const carol = await registered('carol');
    let burst = '';
    for (let i = 0; i < 50; i++) burst += `alice_${i % 2 === 0 ? 'bob' : 'carol'}_m${i}\n`;
    alice.write(burst); // one write, as a fast typist's lines may arrive in one segment
    const expected = (name: string, parity: number): string =>
      Array.from({ length: 25 }, (_, k) => `${name}_alice_m${2 * k + parity}\n`).join('');
    await bob.receives(expected('bob', 0));
    await carol.receives(expected('carol', 1));
    expect(alice.received).to.equal('');
  });

  it('closes, having said nothing, a client whose name is taken; the first keeps it', async () => {
    await start();
    const alice = await registered('alice');
    const impostor = await chatrm('Alice'); // the same name for uniqueness
    await impostor.ended;
    expect(impostor.received).to.equal('');
    const bob = await registered('bob');
    bob.write('bob_alice_still yours\n');
    await alice.receives('alice_bob_still yours\n');
  });

  it('survives hostile input: a first line without _, overlong lines, binary junk', async () => {
    await start({ maxMessageBytes: 1024 });
    const stranger = await chatrm();
    stranger.write('Welcome to nothing\n'); // not a registration: closed, nothing said
    await stranger.ended;
    expect(stranger.received).to.equal('');
    const junk = await chatrm();
    junk.write(Buffer.from([0xff, 0xfd, 0x00, 0x5f, 0x0a, 0xc3, 0x28, 0x5f, 0x5f, 0x0a, 0xff]));
    const alice = await registered('alice');
    const bob = await registered('bob');
    alice.write(`alice_bob_${'x'.repeat(5000)}\n`); // over --max-message-bytes: dropped whole
    alice.write(`alice_bob_${'\u00ff\u0000'.repeat(10)}\n`);
    alice.write('alice_bob_still here\n');
    await eventuallyReceives(bob, /bob_alice_still here\n$/);
    expect(
      bob.received.split('\n').every((line) => line === '' || line.split('_').length >= 3),
    ).to.equal(true);
    expect(bob.received).not.to.include('xxxx');
    expect(alice.received).to.equal('');
    const res = await fetch(`${server.url}/ping`);
    expect(res.status).to.equal(200);
  });

  it('is closed at shutdown with nothing said', async () => {
    await start();
    const alice = await registered('alice');
    await server.parley.shutdown();
    await alice.ended;
    expect(alice.received).to.equal('');
    server = await startTestServer({ storage: 'memory' }); // for afterEach
  });
});

async function eventuallyReceives(peer: ChatrmPeer, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (pattern.test(peer.received)) return;
    await sleep(10);
  }
  throw new Error(`never received ${String(pattern)}: ${JSON.stringify(peer.received)}`);
}
