import { expect } from 'chai';
import { createRoom } from '../../support/rooms.js';
import { freeTcpPort, LineClient } from '../../support/line-client.js';
import { PantzClient } from '../../support/pantz-client.js';
import { joinPath, startTestServer, type TestServer } from '../../support/test-server.js';
import { joinedClient } from '../../support/ws-client.js';

// Requests and expected answers are the exact bytes of composer22/chattypantz@6c94499
// server/server_test.go (TestServerValidWSSession, TestServerWSErrorSession) and of its pages
// client/angular/app/scripts/controllers/main.js:85-86 and client/react/js/stores/
// ConnectionStore.js:69-70 (they send `reqtype`, lower-case t).
const R1 = 'Room1';
const SET_NICK = '{"reqType":101,"content":"ChatMonkey"}';
const SET_NICK2 = '{"reqType":101,"content":"MonkeyTester"}';
const JOIN = `{"roomName":"${R1}","reqType":104}`;
const LIST_NAMES = `{"roomName":"${R1}","reqType":105}`;
const LEAVE = `{"roomName":"${R1}","reqType":109}`;
const rsp = (room: string, type: number, content: string, list: string[] = []) =>
  `{"roomName":"${room}","rspType":${type},"content":${JSON.stringify(content)},"list":${JSON.stringify(list)}}`;

describe('chattypantz dialect at /v1.0/chat', () => {
  let server: TestServer;
  const open: { close(): unknown }[] = [];
  const pantz = async (): Promise<PantzClient> => {
    const client = await PantzClient.connect(server.ws('/v1.0/chat'));
    open.push(client);
    return client;
  };

  beforeEach(async () => {
    server = await startTestServer({
      storage: 'memory',
      maxRooms: 3,
      tcpPort: await freeTcpPort(),
    });
  });

  afterEach(async () => {
    for (const client of open.splice(0)) await client.close();
    await server.stop();
  });

  it('answers server_test.go’s valid session byte for byte, one JSON per text frame', async () => {
    const ws1 = await pantz();
    expect(await ws1.ask(SET_NICK)).to.equal(rsp('', 101, 'Nickname set to "ChatMonkey".'));
    expect(await ws1.ask('{"reqType":102}')).to.equal(rsp('', 102, 'ChatMonkey'));
    expect(await ws1.ask('{"reqType":103}')).to.equal(rsp('', 103, ''));
    const joined = rsp(R1, 104, 'ChatMonkey has joined the room.', ['ChatMonkey']);
    expect(await ws1.ask(JOIN)).to.equal(joined);
    expect(await ws1.ask('{"reqType":103}')).to.equal(rsp('', 103, '', [R1]));
    expect(await ws1.ask(LIST_NAMES)).to.equal(rsp(R1, 105, '', ['ChatMonkey']));
    const hide = `{"roomName":"${R1}","reqType":106}`;
    expect(await ws1.ask(hide)).to.equal(rsp(R1, 106, 'You are now hidden in room "Room1".'));
    expect(await ws1.ask(LIST_NAMES)).to.equal(rsp(R1, 105, ''));
    const unhide = `{"roomName":"${R1}","reqType":107}`;
    expect(await ws1.ask(unhide)).to.equal(rsp(R1, 107, 'You are now unhidden in room "Room1".'));
    expect(await ws1.ask(LIST_NAMES)).to.equal(rsp(R1, 105, '', ['ChatMonkey']));
    const msg = `{"roomName":"${R1}","reqType":108,"content":"Hello you monkeys."}`;
    expect(await ws1.ask(msg)).to.equal(rsp(R1, 108, 'ChatMonkey: Hello you monkeys.'));
    expect(await ws1.ask(LEAVE)).to.equal(rsp(R1, 109, 'You have left room "Room1".'));
    expect(await ws1.ask(LIST_NAMES)).to.equal(rsp(R1, 105, ''));
    const joinHidden = `{"roomName":"${R1}","reqType":104,"content":"hidden"}`;
    expect(await ws1.ask(joinHidden)).to.equal(rsp(R1, 104, 'ChatMonkey has joined the room.'));
    expect(await ws1.ask(LIST_NAMES)).to.equal(rsp(R1, 105, ''));
    expect(await ws1.ask(LEAVE)).to.equal(rsp(R1, 109, 'You have left room "Room1".'));
    expect(await ws1.ask(JOIN)).to.equal(joined);

    const ws2 = await pantz();
    expect(await ws2.ask(SET_NICK2)).to.equal(rsp('', 101, 'Nickname set to "MonkeyTester".'));
    const both = ['ChatMonkey', 'MonkeyTester'];
    const joined2 = rsp(R1, 104, 'MonkeyTester has joined the room.', both);
    expect(await ws2.ask(JOIN)).to.equal(joined2);
    expect(await ws1.next()).to.equal(joined2);
    expect(await ws1.ask(LEAVE)).to.equal(rsp(R1, 109, 'You have left room "Room1".'));
    expect(await ws2.next()).to.equal(
      rsp(R1, 109, 'ChatMonkey has left the room.', ['MonkeyTester']),
    );
    expect([...ws1.textFrames, ...ws2.textFrames].every(Boolean)).to.equal(true);
    expect(ws1.frames.some((frame) => frame.endsWith('\n'))).to.equal(false);
  });

  it('answers every error code as chattypantz words it', async () => {
    const ws1 = await pantz();
    expect(await ws1.ask('{"reqType":101,"content":""}')).to.equal(
      rsp('', 1004, 'nickname cannot be blank'),
    );
    expect(await ws1.ask(JOIN), 'no nickname yet').to.equal(
      rsp('', 1004, 'nickname cannot be blank'),
    );
    expect(await ws1.ask('{"roomName":"","reqType":104}')).to.equal(
      rsp('', 1001, 'room name is mandatory to access a room'),
    );
    await ws1.ask(SET_NICK);
    await ws1.ask(JOIN);
    expect(await ws1.ask(JOIN)).to.equal(
      rsp(R1, 1005, 'You are already a member of room "Room1".'),
    );
    const ws2 = await pantz();
    await ws2.ask(SET_NICK);
    expect(await ws2.ask(JOIN)).to.equal(
      rsp(R1, 1006, 'Nickname "ChatMonkey" is already in use in room "Room1".'),
    );
    await ws1.ask(`{"roomName":"${R1}","reqType":106}`);
    expect(await ws1.ask(`{"roomName":"${R1}","reqType":108,"content":"x"}`)).to.equal(
      rsp(R1, 1007, 'Nickname "ChatMonkey" is hidden. Cannot post in room "Room1".'),
    );
    expect(await ws1.ask(`{"roomName":"${R1}","reqType":999}`)).to.equal(
      rsp(R1, 1008, 'Unknown request sent to room "Room1".'),
    );
    expect(await ws2.ask(`{"roomName":"${R1}","reqType":108,"content":"x"}`)).to.equal(
      rsp(R1, 1003, 'You are not a member of room "Room1".'),
    );
    await ws1.ask('{"roomName":"Room2","reqType":105}'); // rooms are made for any request
    await ws1.ask('{"roomName":"Room3","reqType":105}'); // --rooms 3
    expect(await ws1.ask('{"roomName":"Room4","reqType":104}')).to.equal(
      rsp('Room4', 1002, 'maximum number of rooms reached'),
    );
  });

  it('talks with the angular/react pages’ bytes, a Chatty WebSocket user and a telnet user in one room', async () => {
    const ann = await pantz();
    ann.send('{"roomName":"","reqtype":101,"content":"ann"}'); // main.js:85-86
    ann.send('{"roomName":"Demo","reqtype":104,"content":"Demo"}');
    expect(await ann.next()).to.equal(rsp('', 101, 'Nickname set to "ann".'));
    expect(await ann.next()).to.equal(rsp('Demo', 104, 'ann has joined the room.', ['ann']));
    const bob = await pantz();
    bob.send('{"roomName":"","reqtype":101,"content":"bob"}');
    bob.send('{"roomName":"Demo","reqtype":104,"content":"Demo"}');
    await bob.next();
    const bobJoined = rsp('Demo', 104, 'bob has joined the room.', ['ann', 'bob']);
    expect(await bob.next()).to.equal(bobJoined);
    expect(await ann.next()).to.equal(bobJoined);

    const room = (await (await fetch(`${server.url}/chat?limit=10`)).json()) as { id: string }[];
    const carol = await joinedClient(server.ws(joinPath(room[0]!.id, 'carol')), 'carol');
    const carolJoined = rsp('Demo', 104, 'carol has joined the room.', ['ann', 'bob', 'carol']);
    expect(await ann.next()).to.equal(carolJoined);
    expect(await bob.next()).to.equal(carolJoined);
    const dave = await LineClient.connect(server.parley.tcpPort ?? 0);
    open.push({ close: () => dave.close() });
    await dave.waitFor('Your nickname?');
    dave.send('dave');
    await dave.waitFor(/Which room\?/);
    dave.send('Demo');
    await dave.waitFor('* dave joined #Demo');
    const daveJoined = rsp('Demo', 104, 'dave has joined the room.', [
      'ann',
      'bob',
      'carol',
      'dave',
    ]);
    expect(await ann.next()).to.equal(daveJoined);
    expect(await bob.next()).to.equal(daveJoined);

    ann.send('{"roomName":"Demo","reqtype":108,"content":"hi <all> & \\u2028"}');
    const said =
      '{"roomName":"Demo","rspType":108,"content":"ann: hi \\u003call\\u003e \\u0026 \\u2028","list":[]}';
    expect(await ann.next()).to.equal(said);
    expect(await bob.next()).to.equal(said);
    await carol.waitFor((e) => e.event_type === 'message' && e.text === 'hi <all> & \u2028');
    await dave.waitFor(/<ann> hi <all> &/);
    carol.send('hello from chatty');
    expect(await bob.next()).to.equal(rsp('Demo', 108, 'carol: hello from chatty'));
    dave.send('hello from telnet');
    expect(await bob.next()).to.equal(rsp('Demo', 108, 'dave: hello from telnet'));
    await carol.close();
    expect(await bob.next()).to.equal(
      rsp('Demo', 109, 'carol has left the room.', ['ann', 'bob', 'dave']),
    );
    await ann.close(); // the page's Quit: socket.close()
    expect(await bob.next()).to.equal(rsp('Demo', 109, 'ann has left the room.', ['bob', 'dave']));
    await dave.waitFor(/ann left/);
    const history = (await (await fetch(`${server.url}/chat/${room[0]!.id}/messages`)).json()) as {
      messages: { participant: string }[];
    };
    expect(history.messages.map((m) => m.participant)).to.deep.equal(['ann', 'carol', 'dave']);
  });

  it('keeps one connection in several rooms; a disconnect leaves each with a 109 notice', async () => {
    const ann = await pantz();
    const bob = await pantz();
    await ann.ask('{"reqType":101,"content":"ann"}');
    await bob.ask('{"reqType":101,"content":"bob"}');
    await ann.ask('{"roomName":"A","reqType":104}');
    await ann.ask('{"roomName":"B","reqType":104}');
    await bob.ask('{"roomName":"A","reqType":104}');
    await bob.ask('{"roomName":"B","reqType":104}');
    await ann.next();
    await ann.next();
    expect(await ann.ask('{"roomName":"B","reqType":108,"content":"in B"}')).to.equal(
      rsp('B', 108, 'ann: in B'),
    );
    expect(await bob.next()).to.equal(rsp('B', 108, 'ann: in B'));
    await ann.close();
    const notices = [await bob.next(), await bob.next()].sort();
    expect(notices).to.deep.equal([
      rsp('A', 109, 'ann has left the room.', ['bob']),
      rsp('B', 109, 'ann has left the room.', ['bob']),
    ]);
  });

  it('takes join, message, leave, join, message sent back to back, in order', async () => {
    const ann = await pantz();
    await ann.ask('{"reqType":101,"content":"ann"}');
    for (const request of [
      '{"roomName":"A","reqType":104}',
      '{"roomName":"A","reqType":108,"content":"one"}',
      '{"roomName":"A","reqType":109}',
      '{"roomName":"B","reqType":104}',
      '{"roomName":"B","reqType":108,"content":"two"}',
      '{"roomName":"A","reqType":108,"content":"gone"}',
    ])
      ann.send(request);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await ann.next());
    expect(answers).to.deep.equal([
      rsp('A', 104, 'ann has joined the room.', ['ann']),
      rsp('A', 108, 'ann: one'),
      rsp('A', 109, 'You have left room "A".'),
      rsp('B', 104, 'ann has joined the room.', ['ann']),
      rsp('B', 108, 'ann: two'),
      rsp('A', 1003, 'You are not a member of room "A".'),
    ]);
  });

  it('takes JSON in binary frames, any key case, unknown keys; closes on a frame that is not a request', async () => {
    const ann = await pantz();
    ann.sendBinary('{"REQTYPE":101,"Content":"ann","extra":[1,{"reqType":1.5}]}');
    expect(await ann.next()).to.equal(rsp('', 101, 'Nickname set to "ann".'));
    ann.send('Hello, world!'); // EchoTest.html's default text
    expect(await ann.closed).to.deep.equal({ code: 4400, reason: 'invalid_json' });
    const bob = await pantz();
    bob.send('{"reqType":101.0}'); // a float for Go's int: chattypantz closed too
    expect(await bob.closed).to.deep.equal({ code: 4400, reason: 'invalid_request' });
    const carol = await pantz();
    carol.send('{"reqType":"101"}');
    expect(await carol.closed).to.deep.equal({ code: 4400, reason: 'invalid_request' });
    expect([...ann.frames.slice(1), ...bob.frames, ...carol.frames]).to.deep.equal([]);
  });

  it('serves GET /v1.0/alive (empty) and GET /v1.0/stats with Parley’s figures', async () => {
    const ann = await pantz();
    await ann.ask('{"reqType":101,"content":"ann"}');
    await ann.ask('{"roomName":"Demo","reqType":104}');
    await createRoom(server.url, 'Lobby');
    const alive = await fetch(`${server.url}/v1.0/alive`);
    expect(alive.status).to.equal(200);
    expect(await alive.text()).to.equal('');
    const stats = await fetch(`${server.url}/v1.0/stats`);
    expect(stats.headers.get('content-type')).to.equal('application/json;charset=utf-8');
    expect(stats.headers.get('x-request-id')).to.match(/^[0-9A-F-]{36}$/);
    const body = (await stats.json()) as {
      stats: {
        routeStats: Record<string, { requestCount: number }>;
        chatterStats: { nickname: string; reqcount: number }[];
        roomStats: { name: string; chatters: { nickname: string }[] }[];
      };
    };
    expect(body.stats.routeStats['/v1.0/alive']).to.deep.equal({ requestCount: 1 });
    expect(body.stats.routeStats['/v1.0/chat']).to.deep.equal({ requestCount: 1 });
    expect(body.stats.chatterStats).to.have.length(1);
    expect(body.stats.chatterStats[0]).to.include({ nickname: 'ann', reqcount: 2 });
    expect(body.stats.roomStats.map((room) => room.name)).to.deep.equal(['Demo', 'Lobby']);
    expect(body.stats.roomStats[0]?.chatters.map((c) => c.nickname)).to.deep.equal(['ann']);
  });

  it('leaves hidden members out of every transport’s participant list, and lets others reach them privately', async () => {
    const ann = await pantz();
    await ann.ask('{"reqType":101,"content":"ann"}');
    await ann.ask('{"roomName":"Den","reqType":104,"content":"hidden"}');
    const [den] = (await (await fetch(`${server.url}/chat`)).json()) as { id: string }[];
    const carol = await joinedClient(server.ws(joinPath(den!.id, 'carol')), 'carol');
    expect(await ann.next()).to.equal(rsp('Den', 104, 'carol has joined the room.', ['carol']));
    const details = (await (await fetch(`${server.url}/chat/${den!.id}`)).json()) as {
      participants: { name: string }[];
      participant_count: number;
    };
    expect(details.participants.map((p) => p.name)).to.deep.equal(['carol']);
    expect(details.participant_count).to.equal(1);
    carol.send('/list');
    const listed = await carol.waitForType('participants');
    expect((listed.participants as { name: string }[]).map((p) => p.name)).to.deep.equal(['carol']);
    carol.send('/msg @ann psst');
    expect(await ann.next()).to.equal(rsp('Den', 108, 'carol (private): psst'));
    const bob = await pantz();
    await bob.ask('{"reqType":101,"content":"ANN"}');
    expect(
      await bob.ask('{"roomName":"Den","reqType":104}'),
      'a hidden nickname stays taken',
    ).to.equal(rsp('Den', 1006, 'Nickname "ANN" is already in use in room "Den".'));
    await carol.close();
  });

  it('leaves no ghost when the connection drops while a join is under way', async () => {
    const ann = await PantzClient.connect(server.ws('/v1.0/chat'));
    ann.send('{"reqType":101,"content":"ann"}');
    ann.send('{"roomName":"Den","reqType":104}');
    ann.send('{"roomName":"Elsewhere","reqType":104}');
    ann.socket.terminate();
    await ann.closed;
    const bob = await pantz();
    await bob.ask('{"reqType":101,"content":"ann"}');
    for (const room of ['Den', 'Elsewhere']) {
      let answer = '';
      for (let attempt = 0; attempt < 50; attempt++) {
        answer = await bob.ask(`{"roomName":"${room}","reqType":104}`);
        if (!answer.includes('"rspType":1006')) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(answer, room).to.equal(rsp(room, 104, 'ann has joined the room.', ['ann']));
    }
  });
});
