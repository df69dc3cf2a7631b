import { expect } from 'chai';
import request from 'supertest';
import { DEFAULT_CONFIG, type ParleyConfig } from '../../platform/config/parley-config.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { createRoom } from '../support/rooms.js';
import { SseTestClient } from '../support/sse-client.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type ServerEvent, type TestClient } from '../support/ws-client.js';

/** A rate so slow that no token comes back during a test: the burst is all a client has. */
const BURST_ONLY = 0.001;

/** What Ann was answered, in order: her messages' echoes, answers to /list, errors. */
function answers(client: TestClient | SseTestClient, name: string): string[] {
  return client.events.flatMap((event: ServerEvent) => {
    if (event.event_type === 'message' && event.participant === name) return [String(event.text)];
    if (event.event_type === 'participants') return ['/list'];
    if (event.event_type === 'error') return [`error:${String(event.code)}`];
    return [];
  });
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function history(server: TestServer, room: string): Promise<string[]> {
  const page = await request(server.url).get(`/chat/${room}/messages`).expect(200);
  return (page.body as { messages: { text: string }[] }).messages.map((message) => message.text);
}

describe('Per-connection rate limit (--rate-limit, --rate-burst)', () => {
  let server: TestServer;
  let room: string;
  let tcpPort: number;

  async function start(config: Partial<ParleyConfig>): Promise<void> {
    tcpPort = await freeTcpPort();
    server = await startTestServer({ storage: 'memory', tcpPort, historyOnJoin: 0, ...config });
    room = await createRoom(server.url, 'Limits');
  }

  afterEach(() => server.stop());

  describe('with the defaults (burst 10, then 5 per second)', () => {
    beforeEach(() =>
      start({ rateLimit: DEFAULT_CONFIG.rateLimit, rateBurst: DEFAULT_CONFIG.rateBurst }),
    );

    it('lets a normal chat through: 10 messages at once, then one every 250 ms', async () => {
      expect(DEFAULT_CONFIG).to.include({ rateLimit: 5, rateBurst: 10 });
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      for (let i = 0; i < 10; i++) ann.send(`burst${i}`);
      await bob.waitFor((e) => e.text === 'burst9');
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        ann.send(`paced${i}`);
      }
      await bob.waitFor((e) => e.text === 'paced4');
      expect(ann.ofType('error')).to.deep.equal([]);
      expect(bob.ofType('message')).to.have.length(15);
      await Promise.all([ann.close(), bob.close()]);
    });

    it('limits 50 messages sent at once, and closes the flooder with 1008 flooding', async () => {
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      for (let i = 0; i < 50; i++) ann.send(`flood${i}`);
      expect(await ann.closed).to.deep.equal({ code: 1008, reason: 'flooding' });
      const left = await bob.waitFor((e) => e.event_type === 'participant_left');
      expect(left).to.include({ participant: 'Ann', reason: 'rate_limited' });
      const codes = ann.ofType('error').map((e) => e.code);
      expect(codes.slice(0, 9)).to.deep.equal(Array.from({ length: 9 }, () => 'rate_limited'));
      expect(codes.at(-1)).to.equal('flooding');
      const stored = await history(server, room);
      expect(stored.length, 'the burst and no more').to.be.within(10, 12);
      expect(stored.slice(0, 10)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `flood${i}`));
      await bob.close();
    });
  });

  describe('with a burst of 10 and no refill', () => {
    beforeEach(() => start({ rateLimit: BURST_ONLY, rateBurst: 10 }));

    it('WebSocket: refuses inputs past the burst with rate_limited, in their turn; nothing of them is stored or sent', async () => {
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      const sent: string[] = [];
      for (let i = 0; i < 15; i++) {
        sent.push(`hello${i}`);
        if (i % 4 === 3) sent.push('/list');
      }
      for (const input of sent) ann.send(input);
      await ann.waitForCount('error', sent.length - 10);
      expect(answers(ann, 'Ann')).to.deep.equal([
        ...sent.slice(0, 10),
        ...Array.from({ length: sent.length - 10 }, () => 'error:rate_limited'),
      ]);
      ann.send('/list'); // still open: one refusal fewer than flooding
      await ann.waitForCount('error', sent.length - 9);
      expect(ann.ofType('error').at(-1)).to.include({ code: 'rate_limited' });
      expect(ann.ofType('error')[0]?.message).to.match(/too fast/);
      const said = sent.slice(0, 10).filter((input) => !input.startsWith('/'));
      expect(await history(server, room)).to.deep.equal(said);
      expect(bob.ofType('message').map((e) => e.text)).to.deep.equal(said);
      await Promise.all([ann.close(), bob.close()]);
    });

    it('WebSocket: commands count too, and a client that keeps on is closed with 1008 flooding', async () => {
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      for (let i = 0; i < 10; i++) ann.send('/list');
      await ann.waitForCount('participants', 10);
      ann.send('hello');
      await ann.waitForType('error');
      expect(ann.ofType('error')[0]).to.include({ code: 'rate_limited' });
      for (let i = 0; i < 20; i++) ann.send(`more${i}`);
      expect(await ann.closed).to.deep.equal({ code: 1008, reason: 'flooding' });
      const codes = ann.ofType('error').map((e) => e.code);
      expect(codes).to.deep.equal([...Array.from({ length: 9 }, () => 'rate_limited'), 'flooding']);
      const left = await bob.waitFor((e) => e.event_type === 'participant_left');
      expect(left).to.include({ participant: 'Ann', reason: 'rate_limited' });
      expect(await history(server, room)).to.deep.equal([]);
      await bob.close();
    });

    it('TCP: `! error rate_limited` lines in turn, then `! error flooding` and the connection is closed', async () => {
      const ann = await LineClient.telnet(tcpPort, 'Ann', 'Limits');
      for (let i = 0; i < 10; i++) ann.send(`line${i}`);
      ann.send('/list');
      ann.send('/nick Anna');
      ann.send('/list');
      await until(() => ann.lines.filter((line) => line.startsWith('! error')).length === 3);
      expect(
        ann.lines.some((line) => line.includes('Anna')),
        'the rename was refused',
      ).to.equal(false);
      expect(
        ann.lines.some((line) => line.startsWith('* In #')),
        'and both lists',
      ).to.equal(false);
      for (let i = 0; i < 10; i++) ann.send(`more${i}`);
      await ann.waitFor(/^! error flooding: /);
      await ann.ended;
      const errors = ann.lines.filter((line) => line.startsWith('! error'));
      expect(errors.map((line) => /^! error (\w+)/.exec(line)?.[1])).to.deep.equal([
        ...Array.from({ length: 9 }, () => 'rate_limited'),
        'flooding',
      ]);
      const stored = await history(server, room);
      expect(stored).to.deep.equal(Array.from({ length: 10 }, (_, i) => `line${i}`));
    });

    it('SSE: a POST past the burst answers 429 rate_limited (the stream shows the error too), then 429 flooding and the stream ends', async () => {
      const ann = await SseTestClient.connect(server.url, room, 'Ann');
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push(await ann.post(`post${i}`));
      expect(statuses).to.deep.equal(Array(10).fill(202));
      const refused = await fetch(`${server.url}/chat/${room}/messages`, {
        method: 'POST',
        headers: { 'Parley-Session': ann.sessionKey, 'Content-Type': 'text/plain' },
        body: 'one too many',
      });
      expect(refused.status).to.equal(429);
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal(
        'rate_limited',
      );
      await ann.waitFor((e) => e.event_type === 'error' && e.code === 'rate_limited');
      const more: number[] = [];
      for (let i = 0; i < 9; i++) more.push(await ann.post(`more${i}`));
      expect(more.slice(0, 8)).to.deep.equal(Array(8).fill(429));
      await ann.closed;
      expect(ann.ofType('error').at(-1)).to.include({ code: 'flooding' });
      expect(await history(server, room)).to.deep.equal(
        Array.from({ length: 10 }, (_, i) => `post${i}`),
      );
    });
  });

  describe('--rate-limit 0', () => {
    beforeEach(() => start({ rateLimit: 0, rateBurst: 1 }));

    it('takes every input however fast', async () => {
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      for (let i = 0; i < 100; i++) ann.send(`fast${i}`);
      await ann.waitFor((e) => e.text === 'fast99');
      expect(ann.ofType('error')).to.deep.equal([]);
      await ann.close();
    });
  });
});
