import { expect } from 'chai';
import { refusedUpgrade } from '../support/refused-upgrade.js';
import { createRoom } from '../support/rooms.js';
import { SseTestClient, type StreamRefused } from '../support/sse-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/ws-client.js';
import { FrameClient } from '../support/frame-client.js';

describe('Browser origins (--allowed-origins)', function () {
  this.timeout(10_000);
  let server: TestServer;
  let room: string;

  afterEach(() => server.stop());

  async function start(allowedOrigins = ''): Promise<void> {
    server = await startTestServer({ storage: 'memory', allowedOrigins });
    room = await createRoom(server.url, 'general');
  }

  /** Whether a WebSocket join and an SSE stream from this origin are accepted (both must agree). */
  async function accepted(origin: string | undefined, path?: string): Promise<boolean> {
    const headers: Record<string, string> = origin === undefined ? {} : { Origin: origin };
    const wsPath =
      path ?? `/chat/join?room=${room}&name=ws${Math.random().toString(36).slice(2, 8)}`;
    let ws: boolean;
    try {
      const client = await TestClient.connect(server.ws(wsPath), headers);
      await client.close();
      ws = true;
    } catch {
      const refused = await refusedUpgrade(server.ws(wsPath), headers);
      expect(refused.status).to.equal(403);
      expect(refused.body).to.contain('origin_not_allowed');
      ws = false;
    }
    if (path !== undefined) return ws;
    let sse: boolean;
    try {
      const client = await SseTestClient.connect(
        server.url,
        room,
        `sse${Math.random().toString(36).slice(2, 8)}`,
        '',
        headers,
      );
      await client.close();
      sse = true;
    } catch (error) {
      const refused = error as StreamRefused;
      expect([refused.status, refused.code]).to.deep.equal([403, 'origin_not_allowed']);
      sse = false;
    }
    expect(sse, `SSE agrees with WebSocket for ${origin ?? 'no origin'}`).to.equal(ws);
    return ws;
  }

  it('by default accepts no Origin and the same origin, refuses any other with 403', async () => {
    await start();
    const port = new URL(server.url).port;
    expect(await accepted(undefined)).to.equal(true);
    expect(await accepted(`http://127.0.0.1:${port}`)).to.equal(true);
    expect(await accepted('https://evil.example')).to.equal(false);
    expect(await accepted(`http://localhost:${port}`)).to.equal(false); // another host name
    expect(await accepted('null')).to.equal(false);
  });

  it("by default leaves the seeds' endpoints open to any origin (MaChat says localhost:8099)", async () => {
    await start();
    const machat = await FrameClient.connect(server.ws('/mychat'), 'http://localhost:8099/');
    machat.send(JSON.stringify({ name: 'm', room: 'general' }));
    await machat.waitForLine(/m joined/);
    await machat.close();
    expect(await accepted('https://pages.example', '/general/pat')).to.equal(true);
  });

  it('with a list accepts the listed origins and patterns, and applies it to every endpoint', async () => {
    await start('https://chat.example.com, *.example.org,http://localhost:8099');
    expect(await accepted('https://chat.example.com')).to.equal(true);
    expect(await accepted('http://chat.example.com')).to.equal(false); // scheme differs
    expect(await accepted('https://a.example.org')).to.equal(true);
    expect(await accepted('http://b.c.example.org')).to.equal(true);
    expect(await accepted('https://example.org')).to.equal(false); // the domain itself
    expect(await accepted('https://evil.example')).to.equal(false);
    expect(await accepted(undefined)).to.equal(true);
    expect(await accepted('http://localhost:8099/', '/mychat')).to.equal(true);
    expect(await accepted('https://evil.example', '/mychat')).to.equal(false);
  });

  it('with * accepts any origin', async () => {
    await start('*');
    expect(await accepted('https://evil.example')).to.equal(true);
    expect(await accepted('null')).to.equal(true);
  });
});
