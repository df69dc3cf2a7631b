import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { startParley } from '../../cmd/server/compose.js';
import { DEFAULT_CONFIG } from '../../platform/config/parley-config.js';
import { capturedLogger } from '../support/captured-logger.js';
import { FrameClient } from '../support/frame-client.js';
import { PantzClient } from '../support/pantz-client.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { refusedUpgrade } from '../support/refused-upgrade.js';
import { createRoom } from '../support/rooms.js';
import { SseTestClient, type StreamRefused } from '../support/sse-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { TestClient } from '../support/ws-client.js';

const SECRET = 'a secret only the token issuer and Parley know';
const secretKey = new TextEncoder().encode(SECRET);

/** An HS256 token signed with the server's secret, as an issuer would mint it. */
async function token(
  claims: Record<string, unknown> = {},
  options: { sub?: string; exp?: number | string; nbf?: number | string; key?: Uint8Array } = {},
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.sub ?? 'ann')
    .setIssuedAt();
  if (options.exp !== undefined) jwt.setExpirationTime(options.exp);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(options.key ?? secretKey);
}

/** An unsigned token (`alg: none`), crafted by hand: jose will not make one. */
function unsignedToken(sub = 'ann'): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub })}.`;
}

interface OpenApi {
  paths: Record<
    string,
    | Record<string, { security?: unknown; responses?: Record<string, unknown> } | undefined>
    | undefined
  >;
  components: { securitySchemes?: Record<string, Record<string, unknown>> };
}

const now = (): number => Math.floor(Date.now() / 1000);

/** Tokens a server with SECRET must refuse, and the code it refuses each with. */
async function badTokens(): Promise<[string, string, string][]> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rs256 = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setSubject('ann')
    .sign(privateKey);
  return [
    ['expired', await token({}, { exp: now() - 120 }), 'token_expired'],
    ['not yet valid', await token({}, { nbf: now() + 120 }), 'invalid_token'],
    [
      'wrong signature',
      await token({}, { key: new TextEncoder().encode('another secret') }),
      'invalid_token',
    ],
    ['alg none', unsignedToken(), 'invalid_token'],
    ['wrong algorithm (RS256)', rs256, 'invalid_token'],
    ['garbage', 'not.a.token', 'invalid_token'],
  ];
}

function errorCode(body: string): string | undefined {
  return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
}

describe('Access tokens (--jwt-secret, --jwt-public-key)', function () {
  this.timeout(15_000);
  let server: TestServer;
  let room: string;

  afterEach(() => server.stop());

  async function start(overrides = {}): Promise<void> {
    server = await startTestServer({ storage: 'memory', jwtSecret: SECRET, ...overrides });
    const created = await fetch(`${server.url}/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'general' }),
    });
    expect(created.status).to.equal(201);
    room = ((await created.json()) as { id: string }).id;
  }

  describe('REST', () => {
    it('POST /chat needs a valid bearer token when tokens are on', async () => {
      await start();
      const post = (headers: Record<string, string>): Promise<Response> =>
        fetch(`${server.url}/chat?name=more`, { method: 'POST', headers });
      const none = await post({});
      expect(none.status).to.equal(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).to.equal(
        'auth_required',
      );
      for (const [what, bad, code] of await badTokens()) {
        const answer = await post({ Authorization: `Bearer ${bad}` });
        expect(answer.status, what).to.equal(401);
        expect(errorCode(await answer.text()), what).to.equal(code);
      }
      expect((await post({ Authorization: `Bearer ${await token()}` })).status).to.equal(201);
    });

    it('POST /chat needs no token when tokens are off (the default)', async () => {
      server = await startTestServer({ storage: 'memory' });
      expect(await createRoom(server.url, 'open')).to.be.a('string');
      const document = (await (await fetch(`${server.url}/docs/openapi.json`)).json()) as OpenApi;
      // only the admin API's own scheme: no access-token scheme, no security on POST /chat
      expect(document.components.securitySchemes).not.to.have.property('bearer');
      expect(document.paths['/chat']?.post?.security).to.equal(undefined);
    });

    it('the OpenAPI document shows the bearer scheme on the routes that need it', async () => {
      await start();
      const document = (await (await fetch(`${server.url}/docs/openapi.json`)).json()) as OpenApi;
      expect(document.components.securitySchemes?.bearer).to.include({
        type: 'http',
        scheme: 'bearer',
      });
      for (const [path, method] of [
        ['/chat', 'post'],
        ['/chat/{id}/events', 'get'],
        ['/chat/{id}/messages', 'post'],
        ['/chat/join', 'get'],
      ] as const) {
        expect(document.paths[path]?.[method]?.security, `${method} ${path}`).to.deep.equal([
          { bearer: [] },
        ]);
        expect(document.paths[path]?.[method]?.responses).to.have.property('401');
      }
      expect(document.paths['/chat']?.get?.security).to.equal(undefined);
    });
  });

  describe('WebSocket', () => {
    it("joins with ?token= under the token's subject, whatever name it asks for", async () => {
      await start();
      const client = await TestClient.connect(
        server.ws(`/chat/join?room=${room}&name=Mallory&token=${await token()}`),
      );
      await client.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'ann');
      await client.close();
    });

    it('accepts the token in an Authorization header', async () => {
      await start();
      const client = await TestClient.connect(server.ws(`/chat/join?room=${room}&name=x`), {
        Authorization: `Bearer ${await token({}, { sub: 'bob' })}`,
      });
      await client.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'bob');
      await client.close();
    });

    it('refuses a join without a token, or with a bad one, with 401 before the upgrade', async () => {
      await start();
      const none = await refusedUpgrade(server.ws(`/chat/join?room=${room}&name=ann`));
      expect(none.status).to.equal(401);
      expect(errorCode(none.body)).to.equal('auth_required');
      for (const [what, bad, code] of await badTokens()) {
        const refused = await refusedUpgrade(
          server.ws(`/chat/join?room=${room}&name=ann&token=${bad}`),
        );
        expect(refused.status, what).to.equal(401);
        expect(errorCode(refused.body), what).to.equal(code);
      }
      const byPath = await refusedUpgrade(server.ws('/general/ann'));
      expect(byPath.status).to.equal(401);
      const pantz = await refusedUpgrade(server.ws('/v1.0/chat'));
      expect(pantz.status).to.equal(401);
    });

    it("refuses a room the token's rooms claim does not name (forbidden_room, 4403)", async () => {
      await start();
      const other = await token({ rooms: ['elsewhere'] });
      const client = await TestClient.connect(
        server.ws(`/chat/join?room=${room}&name=ann&token=${other}`),
      );
      const error = await client.waitForType('error');
      expect(error.code).to.equal('forbidden_room');
      expect(await client.closed).to.deep.equal({ code: 4403, reason: 'forbidden_room' });
      const byName = await TestClient.connect(
        server.ws(`/chat/join?room=${room}&name=ann&token=${await token({ rooms: ['General'] })}`),
      );
      await byName.waitForType('participant_joined');
      await byName.close();
    });

    it('closes the connection with 4401 token_expired when its token expires', async () => {
      await start({ jwtClockSkewMs: 0 });
      const short = await token({}, { exp: now() + 2 });
      const client = await TestClient.connect(
        server.ws(`/chat/join?room=${room}&name=ann&token=${short}`),
      );
      await client.waitForType('participant_joined');
      const error = await client.waitForType('error', 5000);
      expect(error.code).to.equal('token_expired');
      expect(await client.closed).to.deep.equal({ code: 4401, reason: 'token_expired' });
    });

    it('takes /auth on the /ws line dialect, and ?token= on /mychat', async () => {
      await start();
      const lines = await FrameClient.connect(server.ws('/ws'));
      await lines.waitForLine(/needs an access token/);
      lines.send(`/auth ${await token({}, { sub: 'cy' })}`);
      await lines.waitForLine(/^Welcome cy! Which room\?/);
      lines.send('general');
      await lines.waitForLine(/^\* cy joined #general/);
      await lines.close();
      const machat = await FrameClient.connect(server.ws(`/mychat?token=${await token()}`));
      machat.send(JSON.stringify({ name: 'someone', room: 'general' }));
      await machat.waitForLine(/ann joined/);
      await machat.close();
    });
  });

  describe('chattypantz (/v1.0/chat)', () => {
    it('takes ?token= on the upgrade; the nickname is the subject, rooms as the claim says', async () => {
      await start();
      const pantz = await PantzClient.connect(
        server.ws(`/v1.0/chat?token=${await token({ rooms: ['general'] }, { sub: 'ivy' })}`),
      );
      expect(await pantz.ask('{"reqType":101,"content":"ChatMonkey"}')).to.contain(
        'Nickname set to \\"ivy\\".',
      );
      expect(await pantz.ask('{"roomName":"general","reqType":104}')).to.contain('ivy');
      const refused = await pantz.ask('{"roomName":"other","reqType":104}');
      expect(refused).to.contain('your token does not let you into the room');
      const rooms = (await (await fetch(`${server.url}/chat`)).json()) as { name: string }[];
      expect(rooms.map((r) => r.name)).to.deep.equal(['general']); // "other" was not created
      await pantz.close();
    });
  });

  describe('Server-Sent Events', () => {
    it('opens a stream with a bearer header or ?token=, under the subject; posts need the token', async () => {
      await start();
      const bearer = { Authorization: `Bearer ${await token({}, { sub: 'dee' })}` };
      const dee = await SseTestClient.connect(server.url, room, 'whoever', '', bearer);
      await dee.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'dee');
      expect(await dee.post('hello')).to.equal(202);
      await dee.waitFor((e) => e.event_type === 'message' && e.participant === 'dee');
      const unsigned = await fetch(`${server.url}/chat/${room}/messages`, {
        method: 'POST',
        headers: { 'Parley-Session': dee.sessionKey },
        body: 'no token',
      });
      expect(unsigned.status).to.equal(401);
      const ed = await SseTestClient.connect(
        server.url,
        room,
        'x',
        `&token=${await token({}, { sub: 'ed' })}`,
      );
      await ed.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'ed');
      await dee.close();
      await ed.close();
    });

    it('refuses a stream without a token, or with a bad one, with 401 before the stream', async () => {
      await start();
      const refusal = async (more: string): Promise<StreamRefused> => {
        try {
          await SseTestClient.connect(server.url, room, 'ann', more);
        } catch (error) {
          return error as StreamRefused;
        }
        throw new Error('the stream opened');
      };
      const none = await refusal('');
      expect([none.status, none.code]).to.deep.equal([401, 'auth_required']);
      for (const [what, bad, code] of await badTokens()) {
        const refused = await refusal(`&token=${bad}`);
        expect([refused.status, refused.code], what).to.deep.equal([401, code]);
      }
      const forbidden = await refusal(`&token=${await token({ rooms: ['elsewhere'] })}`);
      expect([forbidden.status, forbidden.code]).to.deep.equal([403, 'forbidden_room']);
    });

    it('ends the stream with token_expired when its token expires', async () => {
      await start({ jwtClockSkewMs: 0 });
      const short = await token({}, { exp: now() + 2 });
      const client = await SseTestClient.connect(server.url, room, 'ann', `&token=${short}`);
      const error = await client.waitForType('error', 5000);
      expect(error.code).to.equal('token_expired');
      await client.closed;
    });
  });

  describe('TCP', () => {
    let tcpPort: number;

    async function startWithTcp(overrides = {}): Promise<void> {
      tcpPort = await freeTcpPort();
      await start({ tcpPort, ...overrides });
    }

    it('asks for /auth, then the room: the nickname is the subject', async () => {
      await startWithTcp();
      const client = await LineClient.connect(tcpPort);
      await client.waitFor(/^This server needs an access token/);
      client.send('ann');
      await client.waitFor(/^! error auth_required: /);
      client.send(`/auth ${await token({}, { sub: 'fay' })}`);
      await client.waitFor(/^Welcome fay! Which room\?/);
      client.send('general');
      await client.waitFor(/^\* fay joined #general/);
      client.close();
    });

    it('closes after an error line for a bad token', async () => {
      await startWithTcp();
      for (const [what, bad, code] of await badTokens()) {
        const client = await LineClient.connect(tcpPort);
        await client.waitFor(/^This server needs an access token/);
        client.send(`/auth ${bad}`);
        await client.waitFor(new RegExp(`^! error ${code}: `)).catch((error: unknown) => {
          throw new Error(`${what}: ${String(error)}`);
        });
        await client.ended;
      }
    });

    it("takes the token in MaChat's handshake, and closes a handshake without one", async () => {
      await startWithTcp();
      const machat = await LineClient.connect(tcpPort);
      machat.send(
        JSON.stringify({ name: 'gus', room: 'general', token: await token({}, { sub: 'gus' }) }),
      );
      await machat.waitFor(/^\* gus joined #general/);
      machat.close();
      const without = await LineClient.connect(tcpPort);
      without.send(JSON.stringify({ name: 'gus', room: 'general' }));
      await without.waitFor(/^! error auth_required: /);
      await without.ended;
    });

    it('refuses a room the rooms claim does not name', async () => {
      await startWithTcp();
      const client = await LineClient.connect(tcpPort);
      await client.waitFor(/^This server needs an access token/);
      client.send(`/auth ${await token({ rooms: ['elsewhere'] })}`);
      await client.waitFor(/Which room\?/);
      client.send('general');
      await client.waitFor(/^! error forbidden_room: /);
      client.send('elsewhere');
      await client.waitFor(/^\* ann joined #elsewhere/);
      client.send('/join general');
      await client.waitFor(/^! error forbidden_room: .*general/);
      client.close();
    });

    it('closes the connection with token_expired when its token expires', async () => {
      await startWithTcp({ jwtClockSkewMs: 0 });
      const client = await LineClient.connect(tcpPort);
      client.send(
        JSON.stringify({ name: 'x', room: 'general', token: await token({}, { exp: now() + 2 }) }),
      );
      await client.waitFor(/^\* ann joined #general/);
      await client.waitFor(/^! error token_expired: /, 5000);
      await client.ended;
    });
  });

  describe('public keys', () => {
    it('verifies ES256 tokens with --jwt-public-key, and refuses HS256 ones signed with the key', async () => {
      const dir = await makeTempDir();
      try {
        const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
        const file = join(dir.path, 'key.pem');
        await writeFile(file, pem);
        server = await startTestServer({ storage: 'memory', jwtPublicKey: file });
        const es256 = await new SignJWT({})
          .setProtectedHeader({ alg: 'ES256' })
          .setSubject('hal')
          .setExpirationTime('5m')
          .sign(privateKey);
        const created = await fetch(`${server.url}/chat?name=keyed`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${es256}` },
        });
        expect(created.status).to.equal(201);
        const hs256 = await token({}, { key: new TextEncoder().encode(pem) });
        const confused = await refusedUpgrade(server.ws(`/chat/join?room=x&name=y&token=${hs256}`));
        expect(confused.status).to.equal(401);
        expect(errorCode(confused.body)).to.equal('invalid_token');
      } finally {
        await dir.remove();
      }
    });
  });
});

describe('Access tokens: logs and start', function () {
  this.timeout(15_000);

  it('never writes a token to the logs or the audit log', async () => {
    const dir = await makeTempDir();
    const { logger, records } = capturedLogger();
    const auditLog = join(dir.path, 'audit.jsonl');
    const tcpPort = await freeTcpPort();
    const config = {
      ...DEFAULT_CONFIG,
      port: 0,
      tcpPort,
      storage: 'memory' as const,
      dataDir: dir.path,
      jwtSecret: SECRET,
      auditLog,
      shutdownTimeoutMs: 2000,
    };
    const parley = await startParley(config, logger);
    const ws = (path: string): string => parley.url.replace(/^http/, 'ws') + path;
    const good = await token();
    const expired = await token({}, { exp: now() - 120 });
    const forbidden = await token({ rooms: ['elsewhere'] });
    try {
      const created = await fetch(`${parley.url}/chat?name=general`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${good}` },
      });
      const { id } = (await created.json()) as { id: string };
      const client = await TestClient.connect(ws(`/chat/join?room=${id}&name=a&token=${good}`));
      await client.waitForType('participant_joined');
      client.send(`/auth ${good}`);
      await client.waitForType('error');
      await client.close();
      await refusedUpgrade(ws(`/chat/join?room=${id}&name=a&token=${expired}`));
      await refusedUpgrade(ws(`/nowhere/at/all?token=${expired}`));
      const refusedRoom = await TestClient.connect(
        ws(`/chat/join?room=${id}&name=a&token=${forbidden}`),
      );
      await refusedRoom.closed;
      await fetch(`${parley.url}/chat/${id}/events?name=a&token=${expired}`).catch(() => undefined);
      const line = await LineClient.connect(tcpPort);
      line.send(`/auth ${expired}`);
      await line.ended;
    } finally {
      await parley.shutdown();
    }
    const written = JSON.stringify(records) + (await readFile(auditLog, 'utf8'));
    expect(records.some((record) => record.msg === 'upgrade refused')).to.equal(true);
    for (const secret of [good, expired, forbidden, SECRET]) {
      expect(written).not.to.contain(secret);
      expect(written).not.to.contain(secret.split('.')[2]);
    }
    await dir.remove();
  });

  it('will not start the Chatrm port when tokens are on', async () => {
    const chatrmPort = await freeTcpPort();
    let failure: unknown;
    try {
      const started = await startTestServer({ jwtSecret: SECRET, chatrmPort });
      await started.stop();
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.match(/--chatrm-port must be 0/);
  });
});
