import { expect } from 'chai';
import type { ParleyConfig } from '../../platform/config/parley-config.js';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';
import {
  until,
  type DialectFeature,
  type DrivenClient,
  type TransportDriver,
} from './driven-client.js';

const ADMIN_TOKEN = 'conformance-admin';

/** An admin request with the token. */
function admin(server: TestServer, method: string, path: string, body?: object): Promise<Response> {
  return fetch(server.url + path, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/**
 * What every transport's sessions do alike (one session class serves them all): joining,
 * nicknames, messages, history, commands, private messages, ignores, the slow-consumer bound,
 * idleness, shutdown, and every way a connection ends without leaving a ghost. Each test puts
 * the driven client in a room with a WebSocket observer, so every transport is also shown
 * talking to another.
 */
export function sessionConformance(driver: TransportDriver): void {
  describe(`Sessions over ${driver.name}`, function () {
    this.timeout(15_000);
    let server: TestServer;
    let room: string;
    let observer: TestClient;
    const open: DrivenClient[] = [];
    let started = false;

    async function start(overrides: Partial<ParleyConfig> = {}): Promise<void> {
      started = true;
      server = await startTestServer({
        storage: 'memory',
        adminToken: ADMIN_TOKEN,
        ...(await driver.serverConfig()),
        ...overrides,
      });
      room = await createRoom(server.url, 'Conformance');
      observer = await joinedClient(server.ws(joinPath(room, 'Observer')), 'Observer');
    }

    async function join(nickname: string): Promise<DrivenClient> {
      const client = await driver.join(server, room, nickname);
      open.push(client);
      return client;
    }

    function leaveOf(name: string): Promise<unknown> {
      return observer
        .waitFor((e) => e.event_type === 'participant_left' && e.participant === name, 8000)
        .then((event) => event.reason);
    }

    /** Skips a test whose feature the driver's dialect does not have. */
    function needs(test: Mocha.Context, feature: DialectFeature): void {
      if (driver.lacks?.includes(feature) === true) test.skip();
    }

    afterEach(async () => {
      if (!started) return; // skipped before it started a server
      started = false;
      for (const client of open.splice(0)) client.drop();
      await observer.close();
      await server.stop();
    });

    it('joins a room: the room and the joiner see the join', async () => {
      await start();
      const ann = await join('Ann');
      await observer.waitFor(
        (e) => e.event_type === 'participant_joined' && e.participant === 'Ann',
      );
      expect(ann.joins()).to.include('Ann');
    });

    it('refuses a nickname someone in the room holds, whatever transport holds it', async () => {
      await start();
      expect(await driver.refusal(server, room, 'OBSERVER')).to.equal('nickname_taken');
    });

    it('sends its messages to the room, itself included, in order', async () => {
      await start();
      const ann = await join('Ann');
      for (const text of ['one', 'two', 'three']) ann.send(text);
      await observer.waitFor((e) => e.event_type === 'message' && e.text === 'three');
      const fromAnn = observer.ofType('message').filter((e) => e.participant === 'Ann');
      expect(fromAnn.map((e) => e.text)).to.deep.equal(['one', 'two', 'three']);
      await until('Ann to see her own messages', () => ann.messages().length === 3);
      expect(ann.messages()).to.deep.equal(['one', 'two', 'three']);
    });

    it('receives the room: messages from others, and the recent history when it joins', async function () {
      needs(this, 'history');
      await start();
      observer.send('before you came');
      await observer.waitFor((e) => e.text === 'before you came');
      const ann = await join('Ann');
      expect(ann.history()).to.deep.equal(['before you came']);
      observer.send('now');
      await until('Ann to see "now"', () => ann.messages().includes('now'));
    });

    it('runs commands, answering the one who asked only', async function () {
      needs(this, 'commands');
      await start();
      const ann = await join('Ann');
      ann.send('/list');
      ann.send('/bogus');
      await until(
        'the answers',
        () => ann.replies().includes('participants') && ann.errors().length > 0,
      );
      expect(ann.errors()).to.deep.equal(['unknown_command']);
      expect(observer.ofType('participants')).to.deep.equal([]);
    });

    it('exchanges private messages with a client of another transport, nobody else seeing them', async function () {
      needs(this, 'private_messages');
      await start();
      const ann = await join('Ann');
      const bystander = await joinedClient(server.ws(joinPath(room, 'Bystander')), 'Bystander');
      ann.send('/msg @Observer psst');
      await observer.waitFor((e) => e.event_type === 'private_message' && e.text === 'psst');
      observer.send('/msg @Ann back at you');
      await until('Ann to get the answer', () => ann.privateMessages().includes('back at you'));
      expect(bystander.ofType('private_message')).to.deep.equal([]);
      await bystander.close();
    });

    it('ignores someone: their messages stop, others go on', async function () {
      needs(this, 'ignore');
      await start();
      const ann = await join('Ann');
      const other = await joinedClient(server.ws(joinPath(room, 'Other')), 'Other');
      ann.send('/ignore @Observer');
      await until('the ignore to be taken', () => ann.replies().includes('ignored'));
      observer.send('you will not see this');
      other.send('but you see this');
      await until('the other message', () => ann.messages().includes('but you see this'));
      expect(ann.messages()).not.to.include('you will not see this');
      await other.close();
    });

    it('is dropped as a slow consumer when it stops reading, and the room goes on', async () => {
      await start({ sendBufferLimit: 64 * 1024, maxMessageBytes: 65_536 });
      const ann = await join('Ann');
      ann.stopReading();
      const big = 'x'.repeat(60_000);
      for (let i = 0; i < 300 && open.length > 0; i++) {
        observer.send(`${i} ${big}`);
        if (observer.ofType('participant_left').some((e) => e.participant === 'Ann')) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await leaveOf('Ann')).to.equal('slow_consumer');
    });

    it('is ended when it sends nothing for --idle', async () => {
      await start({ idleTimeoutMs: 400 });
      const ann = await join('Ann');
      const awake = setInterval(() => observer.send('still here'), 100);
      try {
        expect(await leaveOf('Ann')).to.equal('idle_timeout');
        await ann.ended;
      } finally {
        clearInterval(awake);
      }
    });

    it('is told when the server shuts down, then closed', async () => {
      await start();
      const ann = await join('Ann');
      await server.parley.shutdown();
      await ann.ended;
      expect(ann.shutdownNotices()).to.equal(1);
    });

    it('refuses inputs past its rate (rate_limited), nothing of them sent; a client that keeps on is closed', async () => {
      // A burst of 3 messages after the join, and no refill.
      await start({ rateLimit: 0.001, rateBurst: 3 + (driver.joinInputs ?? 0) });
      const ann = await join('Ann');
      for (let i = 0; i < 4; i++) ann.send(`m${i}`);
      await until('the refusal', () => ann.errors().length === 1);
      // chattypantz has no such error: it is told the room cannot take the request.
      if (!driver.name.startsWith('chattypantz'))
        expect(ann.errors()).to.deep.equal(['rate_limited']);
      for (let i = 0; i < 12; i++) ann.send(`flood${i}`);
      expect(await leaveOf('Ann')).to.equal('rate_limited');
      await ann.ended;
      const fromAnn = observer.ofType('message').filter((e) => e.participant === 'Ann');
      expect(fromAnn.map((e) => e.text)).to.deep.equal(['m0', 'm1', 'm2']);
    });

    it('is kicked by an operator: told why, ended, the room sees reason kicked', async () => {
      await start();
      const ann = await join('Ann');
      const answer = await admin(server, 'POST', `/admin/rooms/${room}/kick`, {
        participant: 'Ann',
        reason: 'calm down',
      });
      expect(answer.status).to.equal(200);
      expect(await leaveOf('Ann')).to.equal('kicked');
      await ann.ended;
      // chattypantz's clients are shown no error frames: the close code says why
      if (driver.lacks?.includes('errors') !== true) expect(ann.errors()).to.include('kicked');
    });

    it('is closed with its room when an operator deletes it', async () => {
      await start();
      const ann = await join('Ann');
      const answer = await admin(server, 'DELETE', `/chat/${room}`);
      expect(answer.status).to.equal(200);
      await ann.ended;
      expect(await observer.waitForType('room_closed')).to.include({ room });
      expect(await observer.closed).to.include({ code: 4410 });
      expect((await fetch(`${server.url}/chat/${room}`)).status).to.equal(404);
    });

    it('leaves no ghost when it leaves properly: one leave, the nickname free again', async () => {
      await start();
      const ann = await join('Ann');
      await ann.closeCleanly();
      expect(await leaveOf('Ann')).to.equal(driver.cleanLeaveReason);
      const again = await join('Ann');
      expect(again.joins()).to.include('Ann');
      expect(
        observer.ofType('participant_left').filter((e) => e.participant === 'Ann'),
      ).to.have.length(1);
    });

    it('leaves no ghost when its connection drops: one leave, the nickname free again', async () => {
      await start();
      const ann = await join('Ann');
      ann.drop();
      expect(await leaveOf('Ann')).to.equal('disconnected');
      await join('Ann');
      expect(
        observer.ofType('participant_left').filter((e) => e.participant === 'Ann'),
      ).to.have.length(1);
    });
  });
}
