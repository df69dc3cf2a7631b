import { expect } from 'chai';
import { FrameClient } from '../../support/frame-client.js';
import { freeTcpPort, LineClient } from '../../support/line-client.js';
import { createRoom } from '../../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../../support/test-server.js';
import { joinedClient } from '../../support/ws-client.js';

/**
 * chat-server's own clients (spring1843/chat-server):
 * - the browser page `/client` (src/drivers/websocket/client/index.html @ 0db1ad8): opens
 *   `ws://HOST/ws`, sends the input's raw value as one text frame (`conn.send(msg.val())`, no line
 *   end) and shows each frame it receives as one entry (`$("<div/>").text(evt.data)`);
 * - its Go tests' client side (@ 4a2d418): src/drivers/websocket/websocket_test.go reads a frame
 *   containing "Welcome", writes "User1", reads "Welcome User1", writes "/quit", reads "Good Bye";
 *   src/drivers/telnet/telnet_test.go reads one line (`ReadString('\n')`) containing "Welcome".
 */
describe('Seed clients: chat-server', () => {
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

  async function page(): Promise<FrameClient> {
    const client = await FrameClient.connect(server.ws('/ws'));
    cleanups.push(() => client.socket.terminate());
    return client;
  }

  /** What a person does on the page: a nickname, then `/join #channel`. */
  async function enter(nickname: string, channel: string): Promise<FrameClient> {
    const client = await page();
    await client.waitForLine('Your nickname?');
    client.send(nickname);
    await client.waitForLine(/Which room\?/);
    client.send(`/join #${channel}`);
    await client.waitForLine(`* ${nickname} joined #${channel}`);
    return client;
  }

  it('websocket_test.go: Welcome, then "Welcome User1" for the nickname, then "Good Bye" and the close', async () => {
    const client = await page();
    expect(await client.frame(0)).to.contain('Welcome');
    client.send('User1');
    expect(await client.frame(1)).to.contain('Welcome User1');
    client.send('/quit');
    expect(await client.frame(2)).to.contain('Good Bye');
    expect(await client.closed).to.deep.equal({ code: 1000, reason: 'quit' });
  });

  it('telnet_test.go: the first line on the telnet port contains Welcome', async () => {
    const client = await LineClient.connect(port);
    cleanups.push(() => client.close());
    expect(await client.waitFor(/./)).to.contain('Welcome');
  });

  it('two page users, a Chatty app and a telnet user in #general; /join at the prompt; /msg across rooms', async () => {
    const roomId = await createRoom(server.url, 'general');
    const ann = await enter('Ann', 'general');
    const bob = await enter('Bob', 'general');
    const dana = await joinedClient(server.ws(joinPath(roomId, 'Dana')), 'Dana');
    cleanups.push(() => dana.socket.terminate());
    // chat-server's telnet users type /join #general at the room prompt too
    const eve = await LineClient.connect(port);
    cleanups.push(() => eve.close());
    await eve.waitFor('Your nickname?');
    eve.send('Eve');
    await eve.waitFor(/Which room\?/);
    eve.send('/join #general');
    await eve.waitFor('* Eve joined #general');
    const zed = await enter('Zed', 'random');

    ann.send('hello from the page');
    bob.send('hi Ann');
    dana.send('Dana here');
    eve.send('Eve on telnet');
    for (const client of [ann, bob]) {
      await client.waitForLine(/<Ann> hello from the page$/);
      await client.waitForLine(/<Bob> hi Ann$/);
      await client.waitForLine(/<Dana> Dana here$/);
      await client.waitForLine(/<Eve> Eve on telnet$/);
    }
    await eve.waitFor(/<Bob> hi Ann$/);
    await dana.waitFor((e) => e.event_type === 'message' && e.participant === 'Ann');

    // /msg @nick reaches nick wherever nick is on the server, and back
    ann.send('/msg @Zed psst from #general');
    await zed.waitForLine('[private] <Ann> psst from #general');
    zed.send('/msg @Ann hello from #random');
    await ann.waitForLine('[private] <Zed> hello from #random');
    expect(bob.lines.filter((line) => line.includes('psst'))).to.deep.equal([]);

    // the page shows every frame as one entry: each one is whole lines
    for (const client of [ann, bob, zed]) {
      expect(client.frames.every((frame) => frame.endsWith('\n'))).to.equal(true);
    }

    await bob.close();
    await ann.waitForLine('* Bob left');
    await eve.waitFor('* Bob left');
    await dana.waitFor((e) => e.event_type === 'participant_left' && e.participant === 'Bob');
  });

  it('a name two people use in different rooms is refused with how to pick one', async () => {
    const ann = await enter('Ann', 'general');
    await enter('Sam', 'red');
    await enter('Sam', 'blue');
    ann.send('/msg @Sam hi');
    const error = await ann.waitForLine(/^! error ambiguous_participant: /);
    expect(error).to.match(/#red/).and.to.match(/#blue/);
  });
});
