import { expect } from 'chai';
import request from 'supertest';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

const KSUID = /^[0-9A-Za-z]{27}$/;

describe('REST API', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ storage: 'memory' });
  });

  after(() => server.stop());

  describe('GET /ping', () => {
    it('answers 200 pong', async () => {
      const response = await request(server.url).get('/ping').expect(200);
      expect(response.text).to.equal('pong');
    });
  });

  describe('POST /chat', () => {
    it('creates a room from ?name= and answers 201 {id, name} with a KSUID id', async () => {
      const response = await request(server.url)
        .post('/chat?name=Lobby')
        .expect(201)
        .expect('Content-Type', /json/);
      expect(Object.keys(response.body as object)).to.deep.equal(['id', 'name']);
      expect(response.body).to.include({ name: 'Lobby' });
      expect((response.body as { id: string }).id).to.match(KSUID);
      expect(response.headers.location).to.equal(`/chat/${(response.body as { id: string }).id}`);
    });

    it('accepts the name in a JSON body', async () => {
      const response = await request(server.url)
        .post('/chat')
        .send({ name: 'From body' })
        .expect(201);
      expect(response.body).to.include({ name: 'From body' });
    });

    for (const [label, query] of [
      ['that is missing', ''],
      ['that is blank', '?name=%20%20'],
      ['longer than 100 characters', `?name=${'x'.repeat(101)}`],
      ['holding a control character', '?name=Lob%07by'],
    ] as const) {
      it(`answers 400 invalid_room_name for a name ${label}`, async () => {
        const response = await request(server.url)
          .post(`/chat${query}`)
          .expect(400)
          .expect('Content-Type', /json/);
        expect(response.body).to.have.nested.property('error.code', 'invalid_room_name');
        expect(response.body).to.have.nested.property('error.message').that.is.a('string');
      });
    }

    it('answers 400 invalid_json for a malformed JSON body', async () => {
      const response = await request(server.url)
        .post('/chat')
        .set('Content-Type', 'application/json')
        .send('{"name": ')
        .expect(400);
      expect(response.body).to.have.nested.property('error.code', 'invalid_json');
    });

    it('answers 413 payload_too_large for a body over 16 KiB', async () => {
      const response = await request(server.url)
        .post('/chat')
        .send({ name: 'x'.repeat(20_000) })
        .expect(413);
      expect(response.body).to.have.nested.property('error.code', 'payload_too_large');
    });
  });

  describe('methods a path does not define', () => {
    for (const [method, path, allow] of [
      ['delete', '/chat', 'GET, HEAD, POST'],
      ['put', '/chat', 'GET, HEAD, POST'],
      ['post', '/chat/2SzErhA2PvYGjf4PQ4pvTh9BfE0', 'GET, HEAD'],
      ['post', '/ping', 'GET, HEAD'],
    ] as const) {
      it(`answers ${method.toUpperCase()} ${path} with 405 and Allow: ${allow}`, async () => {
        const response = await request(server.url)[method](path).expect(405).expect('Allow', allow);
        expect(response.body).to.have.nested.property('error.code', 'method_not_allowed');
      });
    }

    it('answers OPTIONS with 204 and the Allow header', async () => {
      await request(server.url).options('/chat').expect(204).expect('Allow', 'GET, HEAD, POST');
    });
  });

  describe('GET /chat and GET /chat/:id', () => {
    it('lists rooms with participant counts and shows who is in a room', async () => {
      const { body: room } = (await request(server.url).post('/chat?name=Listed').expect(201)) as {
        body: { id: string };
      };
      const ann = await joinedClient(server.ws(joinPath(room.id, 'Ann')), 'Ann');
      const list = (await request(server.url).get('/chat').expect(200)).body as Record<
        string,
        unknown
      >[];
      const listed = list.find((r) => r.id === room.id);
      expect(listed).to.include({ name: 'Listed', participants: 1 });
      expect(Date.parse(listed?.created_at as string)).to.be.a('number').and.not.NaN;
      const details = (await request(server.url).get(`/chat/${room.id}`).expect(200))
        .body as Record<string, unknown>;
      expect(details).to.include({ id: room.id, name: 'Listed' });
      expect((details.participants as { name: string }[]).map((p) => p.name)).to.deep.equal([
        'Ann',
      ]);
      await ann.close();
    });

    it('answers 404 room_not_found for an unknown id', async () => {
      const response = await request(server.url)
        .get('/chat/2SzErhA2PvYGjf4PQ4pvTh9BfE0')
        .expect(404);
      expect(response.body).to.have.nested.property('error.code', 'room_not_found');
    });
  });

  describe('paths that are not REST resources', () => {
    it('answers a plain GET /chat/join with 426 and Upgrade: websocket', async () => {
      const response = await request(server.url)
        .get('/chat/join?name=a&room=b')
        .expect(426)
        .expect('Upgrade', 'websocket');
      expect(response.body).to.have.nested.property('error.code', 'upgrade_required');
    });

    it('answers an unknown path with 404 not_found as JSON', async () => {
      const response = await request(server.url)
        .get('/nope')
        .expect(404)
        .expect('Content-Type', /json/);
      expect(response.body).to.have.nested.property('error.code', 'not_found');
    });
  });

  describe('API documentation', () => {
    it('serves the OpenAPI document, describing every REST path', async () => {
      const response = await request(server.url).get('/docs/openapi.json').expect(200);
      const paths = Object.keys((response.body as { paths: object }).paths);
      expect(paths).to.include.members(['/ping', '/chat', '/chat/{id}', '/chat/join']);
    });

    it('serves Swagger UI at /docs', async () => {
      const response = await request(server.url)
        .get('/docs/')
        .expect(200)
        .expect('Content-Type', /html/);
      expect(response.text).to.contain('swagger');
    });
  });
});
