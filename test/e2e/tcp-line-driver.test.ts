import { expect } from 'chai';
import { connect } from 'node:net';
import { createRoom } from '../support/rooms.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';

const CLOCK = String.raw`\[\d\d:\d\d\]`;

describe('TCP line driver', () => {
  let server: TestServer;
  let port: number;
  const open: LineClient[] = [];
  const track = (client: LineClient): LineClient => (open.push(client), client);

  beforeEach(async () => {
    server = await startTestServer({ storage: 'memory', tcpPort: await freeTcpPort() });
    port = server.parley.tcpPort ?? 0;
  });

  afterEach(async () => {
    for (const client of open.splice(0)) client.close();
    await server.stop();
  });

  describe('telnet dialect', () => {
    it('speaks first: a welcome, then the nickname and room prompts; /rooms lists rooms at the prompt; a new name creates the room', async () => {
      await createRoom(server.url, 'Lobby');
      const john = track(await LineClient.connect(port));
      expect(await john.waitFor(/^\*\*\* Welcome to Parley/)).to.match(/\/help/);
      await john.waitFor('Your nickname?');
      john.send('John');
      await john.waitFor(/^Welcome John! Which room\?/);
      john.send('/rooms');
      await john.waitFor(/^\* Rooms \(1\):/);
      expect(await john.waitFor(/#Lobby/)).to.match(/^ {2}#Lobby {2}0 in {2}\(\w{27}\)$/);
      john.send('#Garden');
      await john.waitFor('* John joined #Garden');
      expect(john.lines.filter((line) => line.includes('Which room?'))).to.have.length(2);
      expect(john.raw.replace(/\r\n/g, ''), 'every line ends with CRLF').not.to.include('\n');
      const rooms: unknown = await fetch(`${server.url}/chat`).then((r) => r.json());
      expect(JSON.stringify(rooms)).to.include('"Garden"');
    });

    it('asks again after a bad or taken nickname (taken by a WebSocket client), keeping the chosen room', async () => {
      const room = await createRoom(server.url, 'Lobby');
      const ws = await joinedClient(server.ws(joinPath(room, 'John')), 'John');
      const telnet = track(await LineClient.connect(port));
      await telnet.waitFor('Your nickname?');
      telnet.send('   ');
      await telnet.waitFor('! error invalid_nickname: a nickname must not be blank');
      telnet.send('john'); // the same person as "John" for uniqueness
      await telnet.waitFor(/Which room\?/);
      telnet.send('Lobby');
      await telnet.waitFor('! error nickname_taken: the nickname "john" is taken in this room');
      expect(telnet.lines.filter((line) => line === 'Your nickname?')).to.have.length(3);
      telnet.send('Johnny');
      await telnet.waitFor('* Johnny joined #Lobby');
      expect(telnet.lines.filter((line) => line.includes('Which room?'))).to.have.length(1);
      await ws.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Johnny');
      await ws.close();
    });

    it('renders messages, joins, leaves and renames for people, and talks with WebSocket clients both ways', async () => {
      const room = await createRoom(server.url, 'Lobby');
      const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      await john.waitFor('* Ann joined #Lobby');
      ann.send('hi from the web');
      expect(await john.waitFor(/<Ann>/)).to.match(new RegExp(`^${CLOCK} <Ann> hi from the web$`));
      john.send('hello from telnet');
      const message = await ann.waitFor(
        (e) => e.event_type === 'message' && e.participant === 'John',
      );
      expect(message).to.include({ text: 'hello from telnet', room });
      await john.waitFor(new RegExp(`^${CLOCK} <John> hello from telnet$`)); // echoed, as stored
      ann.send('/nick Annie');
      await john.waitFor('* Ann is now known as Annie');
      await ann.close();
      await john.waitFor('* Annie left');
    });

    it('shows the leave reason when it is not a plain quit', async () => {
      const room = await createRoom(server.url, 'Lobby');
      const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      ann.socket.terminate();
      await john.waitFor('* Ann left (disconnected)');
    });

    it('keeps terminal escapes and line breaks sent by others from reaching the terminal raw', async () => {
      const room = await createRoom(server.url, 'Lobby');
      const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      ann.send('red\u001b[31malert\u0007\nsecond line');
      const first = await john.waitFor(/<Ann>/);
      expect(first).to.match(/<Ann> red\uFFFD\[31malert\uFFFD$/);
      expect(john.linesAfter(/<Ann>/)[0]).to.equal('  second line');
      expect(john.raw).not.to.include('\u001b');
      await ann.close();
    });

    it('runs every command: /help, /list, /rooms, /history, /nick, /join, and unknown ones get an error line with the syntax', async () => {
      await createRoom(server.url, 'Lobby');
      const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
      john.send('/help');
      await john.waitFor(/^\* Commands/);
      for (const syntax of ['/msg @nick text', '/ignore @nick', '/history [n]', '/quit [reason]']) {
        await john.waitFor(new RegExp(`^ {2}${syntax.replace(/[[\]]/g, '\\$&')} `));
      }
      john.send('/list');
      await john.waitFor('* In #Lobby (1): John');
      john.send('/rooms');
      await john.waitFor(/^ {2}#Lobby {2}1 in /);
      john.send('one');
      john.send('two');
      john.send('three');
      await john.waitFor(/<John> three$/);
      john.send('/history 2');
      await john.waitFor('* The last 2 messages:');
      const page = john.linesAfter(/^\* The last 2 messages:/).slice(0, 2);
      expect(page.map((line) => line.replace(/^\S+ /, ''))).to.deep.equal([
        '<John> two',
        '<John> three',
      ]);
      john.send('/frobnicate');
      expect(await john.waitFor(/^! error unknown_command: /)).to.include('/help');
      john.send('/msg');
      await john.waitFor(/^! error invalid_command: .*\/msg @nick text/);
      john.send('/nick Jack');
      await john.waitFor('* John is now known as Jack');
      john.send('/join #Garden');
      await john.waitFor('* Jack joined #Garden');
      await john.waitFor('* You are now in #Garden.');
      john.send('//literally');
      await john.waitFor(/<Jack> \/literally$/);
    });

    it('/quit says goodbye and closes; the room sees the leave', async () => {
      const room = await createRoom(server.url, 'Lobby');
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
      john.send('/quit gotta go');
      await john.waitFor('* Good Bye, come back again.');
      await john.ended;
      const left = await ann.waitFor((e) => e.event_type === 'participant_left');
      expect(left).to.include({ participant: 'John', reason: 'quit' });
      await ann.close();
    });

    it('only /rooms, /help and /quit work before joining; other commands need a room, and the question comes again', async () => {
      const john = track(await LineClient.connect(port));
      await john.waitFor('Your nickname?');
      john.send('/list');
      await john.waitFor('! error not_in_room: join a room first: /list needs one');
      expect(john.linesAfter(/^! error not_in_room/)[0]).to.equal('Your nickname?');
      john.send('/quit');
      await john.waitFor('* Good Bye, come back again.');
      await john.ended;
    });

    it('refuses a line longer than --max-message-bytes whole, with an error line, and stays open', async () => {
      await server.stop();
      server = await startTestServer({
        storage: 'memory',
        tcpPort: await freeTcpPort(),
        maxMessageBytes: 64,
      });
      port = server.parley.tcpPort ?? 0;
      const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
      john.send('x'.repeat(65));
      await john.waitFor(
        '! error payload_too_large: a line is at most 64 bytes; that one was dropped',
      );
      john.send('x'.repeat(64));
      await john.waitFor(new RegExp(`<John> x{64}$`));
      expect(john.lines.filter((line) => /<John>/.test(line))).to.have.length(1);
    });

    it('ignores telnet negotiation and replaces invalid UTF-8 instead of failing', async () => {
      const john = track(await LineClient.connect(port));
      await john.waitFor('Your nickname?');
      // IAC DO ECHO, IAC WILL NAWS, a window-size subnegotiation, in the middle of the answer
      john.socket.write(
        Buffer.concat([
          Buffer.from('Jo'),
          Buffer.from([255, 253, 1, 255, 251, 31, 255, 250, 31, 0, 80, 0, 24, 255, 240]),
          Buffer.from('hn\r\nLobby\r\n'),
        ]),
      );
      await john.waitFor('* John joined #Lobby');
      john.socket.write(
        Buffer.concat([Buffer.from('caf'), Buffer.from([0xc3, 0x28]), Buffer.from('!\n')]),
      );
      expect(await john.waitFor(/<John>/)).to.match(/<John> caf\uFFFD\(!$/);
    });

    it('answers everything a client sent before it half-closed, then closes (nc < script)', async () => {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8').on('data', (text: string) => (received += text));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.end('John\nLobby\nfirst\nsecond\n/list\n');
      await closed;
      const lines = received.split('\r\n');
      expect(lines.filter((line) => /<John> (first|second)$/.test(line))).to.have.length(2);
      expect(lines).to.include('* In #Lobby (1): John');
      expect(lines.at(-2)).to.equal('* Good Bye, come back again.');
      const history = await fetch(`${server.url}/chat`).then(
        (r) => r.json() as Promise<{ id: string }[]>,
      );
      const messages = await fetch(`${server.url}/chat/${history[0]?.id}/messages`).then((r) =>
        r.json(),
      );
      expect(JSON.stringify(messages)).to.include('second');
    });
  });

  describe('MaChat dialect', () => {
    it('joins from a JSON handshake without prompts (creating the room), and writes messages as name:text', async () => {
      const mina = track(await LineClient.machat(port, 'Mina', 'devroom'));
      const room = mina.lines.find((line) => line === '* Mina joined #devroom');
      expect(room).to.be.a('string');
      expect(mina.lines.some((line) => line.startsWith('***') || line.endsWith('?'))).to.equal(
        false,
      );
      const rooms = (await fetch(`${server.url}/chat`).then((r) => r.json())) as {
        id: string;
        name: string;
      }[];
      const devroom = rooms.find((r) => r.name === 'devroom');
      expect(devroom).to.not.equal(undefined);
      const ann = await joinedClient(server.ws(joinPath(devroom?.id ?? '', 'Ann')), 'Ann');
      ann.send('hello Mina');
      await mina.waitFor('Ann:hello Mina');
      mina.send('hello Ann');
      await ann.waitFor((e) => e.event_type === 'message' && e.text === 'hello Ann');
      await mina.waitFor('Mina:hello Ann');
      await ann.close();
    });

    it('joins a room by id too', async () => {
      const room = await createRoom(server.url, 'ById');
      const mina = track(await LineClient.machat(port, 'Mina', room));
      expect(mina.lines).to.include('* Mina joined #ById');
    });

    for (const [label, handshake, error] of [
      ['invalid JSON', '{"name": "Mina", "room":', /not valid JSON/],
      ['a missing room', '{"name": "Mina"}', /"name" and "room"/],
      ['a blank name', '{"name": " ", "room": "dev"}', /a nickname must not be blank/],
    ] as const) {
      it(`answers a handshake with ${label} with one error line, then closes`, async () => {
        const client = track(await LineClient.connect(port));
        client.send(handshake);
        await client.ended;
        expect(client.lines).to.have.length(1);
        expect(client.lines[0])
          .to.match(/^! error [a-z_]+: /)
          .and.to.match(error);
      });
    }

    it('refuses a nickname taken by another transport with one error line and a close', async () => {
      const room = await createRoom(server.url, 'dev');
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const client = track(await LineClient.connect(port));
      client.send(JSON.stringify({ name: 'ANN', room: 'dev' }));
      await client.ended;
      expect(client.lines).to.deep.equal([
        '! error nickname_taken: the nickname "ANN" is taken in this room',
      ]);
      await ann.close();
    });
  });

  describe('TCP and WebSocket clients in the same rooms', () => {
    let room: string;
    let ann: TestClient;

    beforeEach(async () => {
      room = await createRoom(server.url, 'Lobby');
      ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
    });

    afterEach(() => ann.close());

    it('a telnet user, a MaChat client and a WebSocket client see each other’s messages, joins and leaves', async () => {
      const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
      const mina = track(await LineClient.machat(port, 'Mina', 'Lobby'));
      await john.waitFor('* Mina joined #Lobby');
      await ann.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Mina');
      mina.send('from machat');
      await john.waitFor(new RegExp(`^${CLOCK} <Mina> from machat$`));
      await ann.waitFor((e) => e.event_type === 'message' && e.text === 'from machat');
      john.send('from telnet');
      await mina.waitFor('John:from telnet');
      ann.send('from the web');
      await mina.waitFor('Ann:from the web');
      await john.waitFor(/<Ann> from the web$/);
      mina.send('/quit');
      await mina.ended;
      await john.waitFor('* Mina left');
      await ann.waitFor((e) => e.event_type === 'participant_left' && e.participant === 'Mina');
    });

    it('history written from TCP is replayed to WebSocket joiners, and the other way round', async () => {
      const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
      john.send('said over telnet');
      ann.send('said over websocket');
      await john.waitFor(/<Ann> said over websocket$/);
      const carol = await joinedClient(server.ws(joinPath(room, 'Carol')), 'Carol');
      const replay = carol.ofType('message').filter((e) => e.history === true);
      expect(replay.map((e) => e.text)).to.deep.equal(['said over telnet', 'said over websocket']);
      const dave = track(await LineClient.telnet(port, 'Dave', 'Lobby'));
      const beforeJoin = dave.lines.slice(0, dave.lines.indexOf('* Dave joined #Lobby'));
      expect(beforeJoin.filter((line) => line.includes('said over'))).to.deep.equal([
        beforeJoin.find((line) => line.endsWith('<John> said over telnet')),
        beforeJoin.find((line) => line.endsWith('<Ann> said over websocket')),
      ]);
      expect(beforeJoin.filter((line) => line.includes('said over'))).to.have.length(2);
      await carol.close();
    });

    it('/nick and /join respect nicknames held on other transports', async () => {
      const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
      john.send('/nick ann');
      await john.waitFor('! error nickname_taken: the nickname "ann" is taken in this room');
      const other = await createRoom(server.url, 'Other');
      const otherJohn = await joinedClient(server.ws(joinPath(other, 'John')), 'John');
      john.send(`/join ${other}`);
      await john.waitFor('! error nickname_taken: the nickname "John" is taken in this room');
      john.send('/list');
      await john.waitFor('* In #Lobby (2): Ann, John');
      await otherJohn.close();
    });
  });
});
