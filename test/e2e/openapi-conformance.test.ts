import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'chai';
import { shareAcrossTests, startChildServer, type ChildServer } from '../support/child-server.js';
import { rawHttp, type RawAnswer } from '../support/raw-http.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import { PantzClient } from '../support/pantz-client.js';
import { SseTestClient } from '../support/sse-client.js';
import { joinedClient } from '../support/ws-client.js';

// ajv-formats is CommonJS with a default export that TypeScript sees one level down.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Method = 'get' | 'post' | 'delete';
interface OpenApi {
  paths: Record<string, Partial<Record<Method, { responses: Record<string, unknown> }>>>;
}

const UNKNOWN_ROOM = '2SzErhA2PvYGjf4PQ4pvTh9BfE0';
const ADMIN_TOKEN = 'conformance-admin-token';
const ADMIN = [`Authorization: Bearer ${ADMIN_TOKEN}`];
const WRONG = ['Authorization: Bearer wrong'];

/** The request as raw bytes, so that bodies and headers can be anything a client sends. */
function raw(method: string, target: string, headers: string[] = [], body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: x', 'Connection: close', ...headers];
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const json = ['Content-Type: application/json'];

/**
 * Every route's answers, successes and errors alike, from a real server, checked against the
 * OpenAPI document that server serves: the status is documented for the operation (or falls
 * under its `default`), and the body is valid against the documented schema (Ajv, JSON Schema
 * 2020-12 as OpenAPI 3.1 uses).
 */
describe('The OpenAPI document describes every answer (real process)', function () {
  this.timeout(30_000);
  let server: ChildServer;
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let document: OpenApi;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);

  before(async () => {
    dir = await makeTempDir();
    const args = ['--data-dir', dir.path, '--rooms', '3', '--headers-timeout', '1'];
    args.push('--admin-token', ADMIN_TOKEN);
    server = shareAcrossTests(await startChildServer(args));
    document = (await (await fetch(`${server.url}/docs/openapi.json`)).json()) as OpenApi;
    ajv.addSchema(document, 'openapi.json');
  });

  after(async () => {
    server.process.kill('SIGTERM');
    await server.exited;
    await dir.remove();
  });

  const send = (request: string, timeoutMs?: number) => rawHttp(server.port, request, timeoutMs);

  /** Asserts the answer is one the document describes; returns its parsed body. */
  function expectDescribed(
    method: Method,
    path: string,
    answer: RawAnswer,
    explicit = true,
  ): unknown {
    const responses = document.paths[path]?.[method]?.responses;
    expect(responses, `${method.toUpperCase()} ${path} in the document`).to.be.an('object');
    const key = String(answer.status) in responses! ? String(answer.status) : 'default';
    if (explicit)
      expect(key, `${method} ${path} documents ${answer.status}`).to.not.equal('default');
    return expectBodyAt(['paths', path, method, 'responses', key], answer);
  }

  /** Asserts the body is valid against the schema of the response at `at` (or where it refers). */
  function expectBodyAt(at: string[], answer: RawAnswer): unknown {
    let response = lookUp(at) as { $ref?: string; content?: Record<string, unknown> };
    if (response.$ref !== undefined) {
      at = response.$ref.slice(2).split('/');
      response = lookUp(at) as typeof response;
    }
    const media = answer.headers['content-type']?.split(';')[0] ?? '';
    expect(response.content, `${media} documented at ${at.join(' ')}`).to.have.property(media);
    const body: unknown = media === 'application/json' ? JSON.parse(answer.body) : answer.body;
    const pointer = `openapi.json#/${[...at, 'content', media, 'schema'].map(escape).join('/')}`;
    const validate = ajv.getSchema(pointer);
    expect(validate, `a schema at ${pointer}`).to.be.a('function');
    const valid = validate!(body);
    expect(valid, `${answer.body} at ${pointer}: ${ajv.errorsText(validate!.errors)}`).to.equal(
      true,
    );
    return body;
  }

  function lookUp(path: string[]): unknown {
    let target: unknown = document;
    for (const segment of path) target = (target as Record<string, unknown>)[segment];
    expect(target, path.join(' ')).to.be.an('object');
    return target;
  }

  /** Asserts an error answer: the status and code expected, the body the document describes. */
  function expectError(
    method: Method,
    path: string,
    answer: RawAnswer,
    [status, code]: [number, string],
    explicit = true,
  ): void {
    expect(answer.status, answer.body).to.equal(status);
    expect(codeOf(expectDescribed(method, path, answer, explicit))).to.equal(code);
  }

  it('GET /ping', async () => {
    expect(expectDescribed('get', '/ping', await send(raw('GET', '/ping')))).to.equal('pong');
  });

  it('GET /healthz, /readyz, /stats and /metrics', async () => {
    expect(expectDescribed('get', '/healthz', await send(raw('GET', '/healthz')))).to.deep.equal({
      status: 'ok',
    });
    const ready = await send(raw('GET', '/readyz'));
    expect(ready.status).to.equal(200);
    expect(expectDescribed('get', '/readyz', ready)).to.include({ ready: true });
    const stats = await send(raw('GET', '/stats'));
    expect(stats.status).to.equal(200);
    expect(expectDescribed('get', '/stats', stats)).to.have.property('transports');
    const metrics = await send(raw('GET', '/metrics'));
    expect(metrics.status).to.equal(200);
    expect(expectDescribed('get', '/metrics', metrics)).to.match(/^# HELP /m);
  });

  it('POST /chat: created (name in the query or the body), and every refusal', async () => {
    const created = await send(raw('POST', '/chat?name=Lobby'));
    expect(created.status).to.equal(201);
    expect(expectDescribed('post', '/chat', created)).to.include({ name: 'Lobby' });
    const fromBody = await send(raw('POST', '/chat', json, '{"name":"Den"}'));
    expect(fromBody.status).to.equal(201);
    expectDescribed('post', '/chat', fromBody);

    const post = (headers: string[], body: string) => send(raw('POST', '/chat', headers, body));
    expectError('post', '/chat', await send(raw('POST', '/chat?name=%20')), [
      400,
      'invalid_room_name',
    ]);
    expectError('post', '/chat', await post(json, '{"name": '), [400, 'invalid_json']);
    const huge = JSON.stringify({ name: 'x'.repeat(20_000) });
    expectError('post', '/chat', await post(json, huge), [413, 'payload_too_large']);
    const bogus = [...json, 'Content-Encoding: bogus'];
    expectError('post', '/chat', await post(bogus, '{}'), [415, 'unsupported_encoding']);

    expect((await send(raw('POST', '/chat?name=Third'))).status).to.equal(201); // --rooms 3
    expectError('post', '/chat', await send(raw('POST', '/chat?name=Fourth')), [
      403,
      'room_limit_reached',
    ]);
  });

  it('GET /chat, GET /chat/{id} and GET /chat/{id}/messages, with someone in and something said', async () => {
    const page = await send(raw('GET', '/chat?limit=1'));
    const [lobby] = expectDescribed('get', '/chat', page) as { id: string }[];
    expect(page.headers['x-total-count']).to.equal('3');
    expect(page.headers.link).to.match(/^<\/chat\?after=\w+&limit=1>; rel="next"$/);
    expectDescribed('get', '/chat', await send(raw('GET', '/chat')));
    expectError('get', '/chat', await send(raw('GET', '/chat?limit=abc')), [
      400,
      'invalid_room_query',
    ]);

    const ann = await joinedClient(
      server.url.replace(/^http/, 'ws') + joinPath(lobby!.id, 'Ann'),
      'Ann',
    );
    ann.send('Hello');
    await ann.waitForType('message');
    const details = expectDescribed(
      'get',
      '/chat/{id}',
      await send(raw('GET', `/chat/${lobby!.id}`)),
    );
    expect(details).to.include({ participant_count: 1 });
    const notFound = await send(raw('GET', `/chat/${UNKNOWN_ROOM}`));
    expectError('get', '/chat/{id}', notFound, [404, 'room_not_found']);

    const history = await send(raw('GET', `/chat/${lobby!.id}/messages`));
    const { messages } = expectDescribed('get', '/chat/{id}/messages', history) as { messages: [] };
    expect(messages).to.have.length(1);
    const bad = await send(raw('GET', `/chat/${lobby!.id}/messages?limit=0`));
    expectError('get', '/chat/{id}/messages', bad, [400, 'invalid_history_query']);
    const gone = await send(raw('GET', `/chat/${UNKNOWN_ROOM}/messages`));
    expectError('get', '/chat/{id}/messages', gone, [404, 'room_not_found']);
    await ann.close();
  });

  it('GET /v1.0/alive and GET /v1.0/stats (chattypantz), with a chattypantz client in a room', async () => {
    const alive = await send(raw('GET', '/v1.0/alive'));
    expect(alive.status).to.equal(200);
    expect(alive.body).to.equal('');
    expect(document.paths['/v1.0/alive']?.get?.responses).to.have.property('200');
    const ann = await PantzClient.connect(server.url.replace(/^http/, 'ws') + '/v1.0/chat');
    await ann.ask('{"reqType":101,"content":"Ann"}');
    await ann.ask('{"roomName":"Lobby","reqType":104}');
    const stats = expectDescribed('get', '/v1.0/stats', await send(raw('GET', '/v1.0/stats'))) as {
      stats: { chatterStats: { nickname: string }[] };
    };
    expect(stats.stats.chatterStats.map((chatter) => chatter.nickname)).to.deep.equal(['Ann']);
    await ann.close();
  });

  it('GET /chat/join without an upgrade', async () => {
    const plain = await send(raw('GET', '/chat/join?name=Ann&room=x'));
    expectError('get', '/chat/join', plain, [426, 'upgrade_required']);
  });

  it("errors any request can meet fall under each operation's default answer", async () => {
    const deleted = await send(raw('DELETE', '/chat'));
    expect(deleted.headers.allow).to.equal('GET, HEAD, POST');
    expect(codeOf(expectBodyAt(['components', 'responses', 'Error'], deleted))).to.equal(
      'method_not_allowed',
    );
    const nowhere = await send(raw('GET', '/nowhere'));
    expect(codeOf(expectBodyAt(['components', 'responses', 'Error'], nowhere))).to.equal(
      'not_found',
    );
    const headers = [`X-Big: ${'a'.repeat(20_000)}`];
    const tooLarge = await send(raw('GET', '/ping', headers));
    expectError('get', '/ping', tooLarge, [431, 'headers_too_large'], false);
    const slow = await send('GET /chat HTTP/1.1\r\nHost: x\r\n', 5000);
    expectError('get', '/chat', slow, [408, 'request_timeout'], false);
  });

  it('401s of access tokens: documented when tokens are on, and shaped as documented', async () => {
    const tokenDir = await makeTempDir();
    const secured = await startChildServer([
      '--data-dir',
      tokenDir.path,
      '--jwt-secret',
      'k'.repeat(32),
    ]);
    try {
      const securedDocument = (await (
        await fetch(`${secured.url}/docs/openapi.json`)
      ).json()) as OpenApi;
      expect(securedDocument.paths['/chat']?.post?.responses).to.have.property('401');
      const to = (request: string) => rawHttp(secured.port, request);
      expectError(
        'post',
        '/chat',
        await to(raw('POST', '/chat?name=Locked')),
        [401, 'auth_required'],
        false,
      );
      const forged = ['Authorization: Bearer not.a.token'];
      expectError(
        'post',
        '/chat',
        await to(raw('POST', '/chat?name=Locked', forged)),
        [401, 'invalid_token'],
        false,
      );
    } finally {
      secured.process.kill('SIGTERM');
      await secured.exited;
      await tokenDir.remove();
    }
  });

  it('429s of the abuse limits: too_many_rooms_created, too_many_connections, rate_limited', async () => {
    const limitedDir = await makeTempDir();
    const limits = ['--room-creation-rate', '1', '--max-connections-per-ip', '1'];
    const rate = ['--rate-limit', '0.001', '--rate-burst', '1'];
    const limited = await startChildServer(['--data-dir', limitedDir.path, ...limits, ...rate]);
    const to = (request: string) => rawHttp(limited.port, request);
    try {
      const created = await to(raw('POST', '/chat?name=Only'));
      expect(created.status).to.equal(201);
      const id = (JSON.parse(created.body) as { id: string }).id;
      expectError('post', '/chat', await to(raw('POST', '/chat?name=More')), [
        429,
        'too_many_rooms_created',
      ]);
      const ann = await SseTestClient.connect(limited.url, id, 'Ann');
      expectError('get', '/chat/{id}/events', await to(raw('GET', `/chat/${id}/events?name=Bob`)), [
        429,
        'too_many_connections',
      ]);
      const post = (text: string) =>
        to(raw('POST', `/chat/${id}/messages`, [`Parley-Session: ${ann.sessionKey}`], text));
      expect((await post('one')).status).to.equal(202);
      expectError('post', '/chat/{id}/messages', await post('two'), [429, 'rate_limited']);
      await ann.close();
    } finally {
      limited.process.kill('SIGTERM');
      await limited.exited;
      await limitedDir.remove();
    }
  });

  // Runs after the room tests: it deletes one of their rooms.
  it('the admin API: every route with the right, a wrong and no token, and its refusals', async () => {
    const [room] = JSON.parse((await send(raw('GET', '/chat?limit=1'))).body) as { id: string }[];
    const id = room!.id;
    const withJson = [...json, ...ADMIN];
    const ann = await joinedClient(server.url.replace(/^http/, 'ws') + joinPath(id, 'Ann'), 'Ann');
    ann.send('Needle in the conformance room');
    await ann.waitForType('message');

    const broadcast = await send(raw('POST', '/admin/broadcast', withJson, '{"text":"Hi all"}'));
    expect(expectDescribed('post', '/admin/broadcast', broadcast)).to.include({ recipients: 1 });
    const blank = await send(raw('POST', '/admin/broadcast', withJson, '{"text":" "}'));
    expectError('post', '/admin/broadcast', blank, [400, 'invalid_admin_request']);
    const noToken = await send(raw('POST', '/admin/broadcast', json, '{"text":"Hi"}'));
    expectError('post', '/admin/broadcast', noToken, [401, 'unauthorized']);

    const found = await send(raw('GET', '/admin/messages?q=needle', ADMIN));
    const search = expectDescribed('get', '/admin/messages', found) as { messages: [] };
    expect(search.messages).to.have.length(1);
    const badLimit = await send(raw('GET', '/admin/messages?limit=500', ADMIN));
    expectError('get', '/admin/messages', badLimit, [400, 'invalid_admin_request']);
    const noRoom = await send(raw('GET', `/admin/messages?room=${UNKNOWN_ROOM}`, ADMIN));
    expectError('get', '/admin/messages', noRoom, [404, 'room_not_found']);
    const wrongSearch = await send(raw('GET', '/admin/messages', WRONG));
    expectError('get', '/admin/messages', wrongSearch, [401, 'unauthorized']);

    const kickPath = `/admin/rooms/${id}/kick`;
    const nobody = await send(raw('POST', kickPath, withJson, '{"participant":"Zed"}'));
    expectError('post', '/admin/rooms/{id}/kick', nobody, [404, 'participant_not_found']);
    const unnamed = await send(raw('POST', kickPath, withJson, '{}'));
    expectError('post', '/admin/rooms/{id}/kick', unnamed, [400, 'invalid_admin_request']);
    const wrongKick = await send(
      raw('POST', kickPath, [...json, ...WRONG], '{"participant":"Ann"}'),
    );
    expectError('post', '/admin/rooms/{id}/kick', wrongKick, [401, 'unauthorized']);
    const kicked = await send(
      raw('POST', kickPath, withJson, '{"participant":"Ann","reason":"x"}'),
    );
    expect(expectDescribed('post', '/admin/rooms/{id}/kick', kicked)).to.include({
      participant: 'Ann',
    });
    expect((await ann.closed).code).to.equal(4010);

    const wrongDelete = await send(raw('DELETE', `/chat/${id}`));
    expectError('delete', '/chat/{id}', wrongDelete, [401, 'unauthorized']);
    const deleted = await send(raw('DELETE', `/chat/${id}`, ADMIN));
    expect(expectDescribed('delete', '/chat/{id}', deleted)).to.include({ id, disconnected: 0 });
    const again = await send(raw('DELETE', `/chat/${id}`, ADMIN));
    expectError('delete', '/chat/{id}', again, [404, 'room_not_found']);
  });

  it('POST /chat when the room cannot be stored: 503 storage_unavailable (a full disk)', async () => {
    const full = await makeTempDir();
    // No file the server writes may grow past this: the room file fills after a few rooms.
    const limits = { fileSizeBytes: 600 };
    const cramped = await startChildServer(['--data-dir', full.path], {}, limits);
    try {
      let answer: RawAnswer | undefined;
      for (let i = 0; i < 50 && (answer === undefined || answer.status === 201); i++)
        answer = await rawHttp(cramped.port, raw('POST', `/chat?name=Room${i}`));
      expectError('post', '/chat', answer!, [503, 'storage_unavailable']);
    } finally {
      cramped.process.kill('SIGTERM');
      await cramped.exited;
      await full.remove();
    }
  });
});

const codeOf = (body: unknown) => (body as { error: { code: string } }).error.code;

/** A JSON Pointer segment inside a URI fragment. */
function escape(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}
