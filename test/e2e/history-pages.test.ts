import { expect } from 'chai';
import request from 'supertest';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

interface Page {
  room: string;
  messages: { id: string; seq: number; participant: string; text: string; sent_at: string }[];
}

describe('GET /chat/:id/messages (paged history)', () => {
  let server: TestServer;
  let room: string;

  before(async () => {
    server = await startTestServer();
    room = ((await request(server.url).post('/chat?name=Paged').expect(201)).body as { id: string })
      .id;
    const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
    for (let i = 1; i <= 120; i++) ann.send(`t${i}`);
    await ann.waitForCount('message', 120);
    await ann.close();
  });

  after(() => server.stop());

  async function page(query: string): Promise<Page> {
    return (await request(server.url).get(`/chat/${room}/messages${query}`).expect(200))
      .body as Page;
  }

  it('answers the newest 100 by default, oldest first, with the message event’s keys', async () => {
    const body = await page('');
    expect(body.room).to.equal(room);
    expect(body.messages.map((m) => m.seq)).to.deep.equal(
      Array.from({ length: 100 }, (_, i) => 21 + i),
    );
    expect(body.messages.at(-1)).to.include({ seq: 120, participant: 'Ann', text: 't120' });
    expect(Date.parse(body.messages[0]?.sent_at ?? '')).to.not.be.NaN;
  });

  it('reads back with before and forward with after, within limit', async () => {
    expect((await page('?before=11&limit=3')).messages.map((m) => m.text)).to.deep.equal([
      't8',
      't9',
      't10',
    ]);
    expect((await page('?after=115&limit=3')).messages.map((m) => m.seq)).to.deep.equal([
      116, 117, 118,
    ]);
    expect((await page('?after=5&before=9')).messages.map((m) => m.seq)).to.deep.equal([6, 7, 8]);
    expect((await page('?after=120')).messages).to.deep.equal([]);
  });

  for (const [query, mention] of [
    ['?limit=1001', '"limit" is at most 1000'],
    ['?limit=0', '"limit"'],
    ['?before=abc', '"before"'],
    ['?after=-1', '"after"'],
    ['?after=1&after=2', '"after"'],
  ] as const) {
    it(`refuses ${query} with 400 invalid_history_query`, async () => {
      const response = await request(server.url).get(`/chat/${room}/messages${query}`).expect(400);
      expect(response.body).to.have.nested.property('error.code', 'invalid_history_query');
      expect((response.body as { error: { message: string } }).error.message).to.contain(mention);
    });
  }

  it('answers 404 room_not_found for an unknown room, and 405 for other methods', async () => {
    const missing = await request(server.url).get('/chat/nope/messages').expect(404);
    expect(missing.body).to.have.nested.property('error.code', 'room_not_found');
    await request(server.url)
      .put(`/chat/${room}/messages`)
      .expect(405)
      .expect('Allow', 'GET, HEAD, POST');
  });
});
