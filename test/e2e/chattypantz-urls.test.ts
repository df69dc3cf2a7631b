import { expect } from 'chai';
import request from 'supertest';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, TestClient } from '../support/ws-client.js';

/** Connects, and resolves with every event received and how the server closed. */
async function askOnce(url: string) {
  const client = await TestClient.connect(url);
  const closed = await client.closed;
  return { events: client.events, closed };
}

describe('chattypantz URL forms over WebSocket', () => {
  let server: TestServer;

  beforeEach(async () => (server = await startTestServer({ storage: 'memory', maxRooms: 3 })));
  afterEach(() => server.stop());

  it('ws://HOST:PORT/ sends the room list with counts, then closes normally', async () => {
    const id = (
      (await request(server.url).post('/chat?name=Lobby').expect(201)).body as {
        id: string;
      }
    ).id;
    const ann = await joinedClient(server.ws(joinPath(id, 'Ann')), 'Ann');
    const { events, closed } = await askOnce(server.ws('/'));
    expect(closed.code).to.equal(1000);
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ event_type: 'rooms' });
    const listed = (await request(server.url).get('/chat').expect(200)).body as unknown[];
    expect(events[0]?.rooms).to.deep.equal(listed);
    expect((events[0]?.rooms as { participants: number }[])[0]?.participants).to.equal(1);
    await ann.close();
  });

  it('ws://HOST:PORT/{room} sends the participants of the room named or numbered, then closes', async () => {
    const id = (
      (await request(server.url).post('/chat?name=Den').expect(201)).body as {
        id: string;
      }
    ).id;
    const ann = await joinedClient(server.ws(joinPath(id, 'Ann')), 'Ann');
    for (const path of [`/${id}`, '/den', '/Den']) {
      const { events, closed } = await askOnce(server.ws(path));
      expect(closed.code, path).to.equal(1000);
      expect(events[0]).to.deep.include({ event_type: 'participants', id, name: 'Den' });
      expect((events[0]?.participants as { name: string }[]).map((p) => p.name)).to.deep.equal([
        'Ann',
      ]);
    }
    await ann.close();
  });

  it('ws://HOST:PORT/{unknown} gets room_not_found and 4404', async () => {
    const { events, closed } = await askOnce(server.ws('/Nowhere'));
    expect(closed).to.deep.equal({ code: 4404, reason: 'room_not_found' });
    expect(events[0]).to.include({ event_type: 'error', code: 'room_not_found' });
  });

  it('ws://HOST:PORT/{room}/{nick} joins by name, creating the room once for everyone', async () => {
    const [ann, bob] = await Promise.all([
      joinedClient(server.ws('/Cafe%20Corner/Ann'), 'Ann'),
      joinedClient(server.ws('/cafe%20corner/Bob'), 'Bob'),
    ]);
    const rooms = (await request(server.url).get('/chat').expect(200)).body as {
      id: string;
      name: string;
      participants: number;
    }[];
    expect(rooms.map((r) => [r.name, r.participants])).to.deep.equal([['Cafe Corner', 2]]);
    ann.send('hi from a path');
    await bob.waitFor((e) => e.event_type === 'message' && e.text === 'hi from a path');
    // the same room is reachable by id through Chatty's join
    const cid = await joinedClient(server.ws(joinPath(rooms[0]?.id ?? '', 'Cid')), 'Cid');
    await ann.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Cid');
    await Promise.all([ann.close(), bob.close(), cid.close()]);
  });

  it('applies the nickname rules and the room limit to path joins', async () => {
    await joinedClient(server.ws('/Busy/Ann'), 'Ann');
    const taken = await askOnce(server.ws('/Busy/ann'));
    expect(taken.closed).to.deep.equal({ code: 4409, reason: 'nickname_taken' });
    const badNick = await askOnce(server.ws('/Busy/%40nope'));
    expect(badNick.closed).to.deep.equal({ code: 4400, reason: 'invalid_nickname' });
    await request(server.url).post('/chat?name=Two').expect(201);
    await request(server.url).post('/chat?name=Three').expect(201);
    const overLimit = await askOnce(server.ws('/Four/Ann'));
    expect(overLimit.closed).to.deep.equal({ code: 4403, reason: 'room_limit_reached' });
    expect(overLimit.events[0]).to.include({ code: 'room_limit_reached' });
  });

  it('keeps the meaning of paths Parley uses: /chat/join joins, /docs and /chat/x are not rooms', async () => {
    for (const path of ['/docs', '/chat', '/chat/anything', '/ping/x', '/a/b/c']) {
      const response = await new Promise<number>((resolve) => {
        const client = TestClient.connect(server.ws(path));
        client.then(
          () => resolve(101),
          (error: Error) => resolve(Number(/(\d{3})/.exec(error.message)?.[1] ?? 0)),
        );
      });
      expect(response, path).to.equal(404);
    }
    expect((await request(server.url).get('/chat').expect(200)).body).to.deep.equal([]);
  });
});
