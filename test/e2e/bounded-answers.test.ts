import { expect } from 'chai';
import request from 'supertest';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type ServerEvent } from '../support/ws-client.js';

/**
 * Answers that grow with the server (rooms, participants) are bounded: a page at a time, with
 * how many there are in all, on REST, WebSocket and TCP alike.
 */
describe('Bounded answers', () => {
  let server: TestServer;
  let tcpPort: number;
  let ids: string[];

  before(async () => {
    tcpPort = await freeTcpPort();
    server = await startTestServer({ storage: 'memory', tcpPort });
    ids = [];
    for (let i = 0; i < 150; i++) {
      const created = await request(server.url).post(`/chat?name=Room${i}`).expect(201);
      ids.push((created.body as { id: string }).id);
    }
  });

  after(() => server.stop());

  it('GET /chat answers a page of 100 rooms, the total in X-Total-Count and the next page in Link', async () => {
    const first = await request(server.url).get('/chat').expect(200);
    expect((first.body as { id: string }[]).map((room) => room.id)).to.deep.equal(
      ids.slice(0, 100),
    );
    expect(first.headers['x-total-count']).to.equal('150');
    const next = /^<([^>]+)>; rel="next"$/.exec(String(first.headers.link))?.[1];
    expect(next).to.equal(`/chat?after=${ids[99]}&limit=100`);
    const second = await request(server.url)
      .get(next ?? '')
      .expect(200);
    expect((second.body as { id: string }[]).map((room) => room.id)).to.deep.equal(ids.slice(100));
    expect(second.headers.link).to.equal(undefined);
  });

  it('GET /chat takes a limit from 1 to 1000; anything else is 400 invalid_room_query', async () => {
    const few = await request(server.url).get('/chat?limit=3').expect(200);
    expect((few.body as unknown[]).length).to.equal(3);
    for (const query of ['limit=0', 'limit=1001', 'limit=x', 'after=']) {
      const refused = await request(server.url).get(`/chat?${query}`).expect(400);
      expect((refused.body as { error: { code: string } }).error.code).to.equal(
        'invalid_room_query',
      );
    }
  });

  it('/rooms over WebSocket answers the first 100 rooms and the total', async () => {
    const ann = await joinedClient(server.ws(joinPath(ids[0] ?? '', 'Ann')), 'Ann');
    ann.send('/rooms');
    const answer: ServerEvent = await ann.waitForType('rooms');
    expect((answer.rooms as unknown[]).length).to.equal(100);
    expect(answer.total).to.equal(150);
    await ann.close();
  });

  it('/rooms over TCP lists the first 100 rooms and says how many more there are', async () => {
    const bob = await LineClient.telnet(tcpPort, 'Bob', 'Room0');
    bob.send('/rooms');
    await bob.waitFor(/^ {2}… and 50 more/);
    expect(bob.lines).to.include('* Rooms (150):');
    expect(
      bob.linesAfter(/^\* Rooms \(150\):/).filter((line) => line.startsWith('  #')),
    ).to.have.length(100);
    await bob.finish();
  });
});
