import { expect } from 'chai';
import request from 'supertest';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';

const TOKEN = 'search-token';

interface Found {
  readonly id: string;
  readonly room: string;
  readonly seq: number;
  readonly text: string;
  readonly sent_at: string;
}

interface SearchBody {
  readonly messages: Found[];
  readonly truncated: boolean;
  readonly next?: string;
  readonly scanned_bytes: number;
}

async function search(server: TestServer, query: string, status = 200): Promise<SearchBody> {
  const answer = await request(server.url)
    .get(`/admin/messages?${query}`)
    .set('Authorization', `Bearer ${TOKEN}`)
    .expect(status);
  return answer.body as SearchBody;
}

/** Sends each text and waits for its echo; returns the echoes' sent_at. */
async function say(client: TestClient, ...texts: string[]): Promise<string[]> {
  const times: string[] = [];
  for (const text of texts) {
    const before = client.ofType('message').length;
    client.send(text);
    const echoes = await client.waitForCount('message', before + 1);
    times.push(String(echoes.at(-1)?.sent_at));
  }
  return times;
}

const numbered = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix} ${i}`);

describe('GET /admin/messages', () => {
  describe('paging and filters', () => {
    let server: TestServer;
    let lobby: string;
    let den: string;
    let ann: TestClient;
    let bob: TestClient;
    before(async () => {
      server = await startTestServer({ storage: 'memory', adminToken: TOKEN });
      lobby = await createRoom(server.url, 'Lobby');
      den = await createRoom(server.url, 'Den');
      ann = await joinedClient(server.ws(joinPath(lobby, 'Ann')), 'Ann');
      bob = await joinedClient(server.ws(joinPath(den, 'Bob')), 'Bob');
      for (let i = 0; i < 15; i++) {
        await say(ann, `Hello lobby ${i}`);
        await say(bob, `hello den ${i}`);
      }
      await say(ann, 'a.*b means anything', 'axxb', 'paren ( here');
    });
    after(async () => {
      await ann.close();
      await bob.close();
      await server.stop();
    });

    it('finds a case-insensitive substring across rooms, newest first, limit 50 by default', async () => {
      const answer = await search(server, 'q=HELLO');
      expect(answer.messages).to.have.length(30);
      expect(answer.truncated).to.equal(false);
      expect(answer.next).to.equal(undefined);
      expect(answer.messages[0]?.text).to.equal('hello den 14');
      expect(answer.messages.at(-1)?.text).to.equal('Hello lobby 0');
      const times = answer.messages.map((m) => Date.parse(m.sent_at));
      expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    });

    it('pages with the cursor: each page the next older results, none twice', async () => {
      const seen: string[] = [];
      let cursor = '';
      for (let page = 0; page < 10; page++) {
        const answer = await search(server, `q=hello&limit=7${cursor}`);
        expect(answer.messages.length).to.be.at.most(7);
        seen.push(...answer.messages.map((m) => m.text));
        if (answer.next === undefined) break;
        cursor = `&cursor=${encodeURIComponent(answer.next)}`;
      }
      const all = (await search(server, 'q=hello&limit=200')).messages.map((m) => m.text);
      expect(seen).to.deep.equal(all);
      expect(new Set(seen).size).to.equal(30);
    });

    it('keeps to one room with room=', async () => {
      const answer = await search(server, `q=hello&room=${den}`);
      expect(answer.messages).to.have.length(15);
      expect(answer.messages.every((m) => m.room === den)).to.equal(true);
      await search(server, 'room=nosuchroom', 404);
    });

    it('takes q with regular-expression characters literally', async () => {
      const dots = await search(server, `q=${encodeURIComponent('.*')}`);
      expect(dots.messages.map((m) => m.text)).to.deep.equal(['a.*b means anything']);
      const paren = await search(server, `q=${encodeURIComponent('(')}`);
      expect(paren.messages.map((m) => m.text)).to.deep.equal(['paren ( here']);
    });

    it('refuses a limit over 200 or a bad time with 400 invalid_admin_request', async () => {
      for (const query of ['limit=201', 'limit=0', 'from=yesterday', 'cursor=zzz']) {
        const body = (await search(server, query, 400)) as unknown as { error: { code: string } };
        expect(body.error.code, query).to.equal('invalid_admin_request');
      }
    });
  });

  describe('from and to', () => {
    let server: TestServer;
    before(async () => (server = await startTestServer({ storage: 'file', adminToken: TOKEN })));
    after(() => server.stop());

    it('keeps to messages sent in the span, both ends included', async () => {
      const room = await createRoom(server.url, 'Lobby');
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const early = await say(ann, ...numbered('early', 5));
      await new Promise((resolve) => setTimeout(resolve, 30));
      const middle = await say(ann, ...numbered('middle', 5));
      await new Promise((resolve) => setTimeout(resolve, 30));
      await say(ann, ...numbered('late', 5));
      const from = encodeURIComponent(middle[0] ?? '');
      const to = encodeURIComponent(middle.at(-1) ?? '');
      const span = await search(server, `from=${from}&to=${to}`);
      expect(span.messages.map((m) => m.text)).to.deep.equal(numbered('middle', 5).reverse());
      const before = await search(server, `to=${encodeURIComponent(early.at(-1) ?? '')}`);
      expect(before.messages.map((m) => m.text)).to.deep.equal(numbered('early', 5).reverse());
      await ann.close();
    });
  });

  describe('bounded in bytes read', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ storage: 'file', adminToken: TOKEN, searchMaxBytes: 2048 });
    });
    after(() => server.stop());

    it('stops at --search-max-bytes, says truncated, and goes on with the cursor', async () => {
      const room = await createRoom(server.url, 'Lobby');
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      await say(ann, 'needle at the start', ...numbered('hay', 60));
      const first = await search(server, 'q=needle');
      expect(first.truncated).to.equal(true);
      expect(first.messages).to.deep.equal([]);
      expect(first.scanned_bytes)
        .to.be.at.least(2048)
        .and.below(2048 + 1024);
      let answer = first;
      let rounds = 1;
      while (answer.messages.length === 0 && answer.next !== undefined && rounds < 20) {
        answer = await search(server, `q=needle&cursor=${encodeURIComponent(answer.next)}`);
        rounds++;
      }
      expect(answer.messages.map((m) => m.text)).to.deep.equal(['needle at the start']);
      expect(rounds).to.be.above(2);
      await ann.close();
    });
  });
});
