import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { Tokens } from '../../cmd/server/compose.js';
import { resolve } from '../../cmd/server/tokens.js';
import { ChatProcess, killLeftoverChats } from '../support/chat-process.js';
import { ChatrmPeer } from '../support/chatrm-peer.js';
import { freeTcpPort } from '../support/line-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('parley-chat --to a Chatrm user (connected for direct messages only, in no room)', function () {
  this.timeout(15_000);
  let server: TestServer;
  let alice: ChatrmPeer | undefined;

  beforeEach(async () => {
    server = await startTestServer({ chatrmPort: await freeTcpPort() });
  });

  afterEach(async () => {
    killLeftoverChats();
    alice?.close();
    await server.stop();
  });

  // Registered once the direct-messages room holds the name (nothing is said to the client).
  async function registered(name: string): Promise<ChatrmPeer> {
    const peer = await ChatrmPeer.connect(server.parley.chatrmPort ?? 0);
    peer.write(`${name}_\n`);
    const presence = resolve(server.parley.container, Tokens.Presence);
    for (let i = 0; i < 300; i++) {
      if ((await presence.locate(name)).length > 0) return peer;
      await sleep(10);
    }
    throw new Error(`${name} never registered`);
  }

  it('reaches her from a room, and her answer comes back as a private message', async () => {
    alice = await registered('alice');
    const john = ChatProcess.start([
      '--url',
      server.url,
      '--room',
      'Lobby',
      '--name',
      'John',
      '--to',
      'alice',
    ]);
    await john.waitFor(/-- connected/);
    john.type('hello alice, from a terminal');
    await alice.receives('alice_John_hello alice, from a terminal\n');
    alice.write('alice_John_hi John\n');
    await john.waitFor(/\[private\] <alice> hi John$/m);
    john.endInput();
    expect(await john.exitCode()).to.equal(0);
  });
});
