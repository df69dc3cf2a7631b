import { expect } from 'chai';
import { connect } from 'node:net';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Tokens } from '../../cmd/server/compose.js';
import { resolve } from '../../cmd/server/tokens.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

/** The value of one sample in Prometheus text, or undefined when absent. */
function sample(metrics: string, name: string, labels = ''): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Operating Parley: health, readiness, metrics, stats', () => {
  let server: TestServer;
  const cleanups: (() => void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await server?.stop();
  });

  it('/healthz answers; /readyz is ready with every check passing', async () => {
    server = await startTestServer();
    expect(await getJson(`${server.url}/healthz`)).to.deep.equal({
      status: 200,
      body: { status: 'ok' },
    });
    expect(await getJson(`${server.url}/readyz`)).to.deep.equal({
      status: 200,
      body: { ready: true, checks: { accepting: true, memory: true, storage: true, broker: true } },
    });
  });

  it('/readyz is not ready while the memory guard sheds, and ready again after', async () => {
    server = await startTestServer({ storage: 'memory' });
    const ws = resolve(server.parley.container, Tokens.WsTransport);
    ws.sessions.setOverloaded(true); // what the memory guard does above its high-water mark
    const shedding = await getJson(`${server.url}/readyz`);
    expect(shedding.status).to.equal(503);
    expect(shedding.body).to.deep.include({ ready: false });
    expect(shedding.body.checks).to.include({ memory: false, accepting: true });
    ws.sessions.setOverloaded(false);
    expect((await getJson(`${server.url}/readyz`)).status).to.equal(200);
  });

  it('/readyz is not ready when the data directory takes no writes', async () => {
    server = await startTestServer();
    expect((await getJson(`${server.url}/readyz`)).status).to.equal(200);
    await rm(server.dataDir, { recursive: true, force: true }); // a lost volume
    await sleep(2100); // the probe writes at most every 2 s
    const lost = await getJson(`${server.url}/readyz`);
    expect(lost.status).to.equal(503);
    expect(lost.body.checks).to.include({ storage: false, accepting: true });
  });

  it('/readyz turns not ready once shutdown has begun (a request in flight gets 503)', async () => {
    server = await startTestServer({ storage: 'memory', shutdownTimeoutMs: 3000 });
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    cleanups.push(() => socket.destroy());
    await new Promise<void>((done) => socket.once('connect', () => done()));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (answer += text));
    socket.write('GET /readyz HTTP/1.1\r\nHost: x\r\n'); // headers not finished: not idle
    await sleep(50);
    const stopping = server.parley.shutdown();
    await sleep(50);
    socket.write('Connection: close\r\n\r\n');
    while (!answer.includes('}')) await sleep(10);
    expect(answer).to.match(/^HTTP\/1\.1 503 /);
    expect(answer).to.contain('"accepting":false');
    await stopping;
  });

  it('/metrics counts connections, messages, deliveries and errors by transport as they happen', async () => {
    server = await startTestServer({ storage: 'memory', tcpPort: await freeTcpPort() });
    const id = await createRoom(server.url, 'Lobby');
    const ann = await joinedClient(server.ws(joinPath(id, 'Ann')), 'Ann');
    const bob = await joinedClient(server.ws(joinPath(id, 'Bob')), 'Bob');
    cleanups.push(
      () => ann.socket.terminate(),
      () => bob.socket.terminate(),
    );
    const eve = await LineClient.telnet(server.parley.tcpPort ?? 0, 'Eve', 'Lobby');
    cleanups.push(() => eve.close());
    const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
    const before = await scrape();
    expect(sample(before, 'parley_connections', '{transport="websocket"}')).to.equal(2);
    expect(sample(before, 'parley_connections', '{transport="tcp"}')).to.equal(1);
    expect(sample(before, 'parley_rooms')).to.equal(1);
    expect(sample(before, 'parley_ready')).to.equal(1);
    expect(sample(before, 'parley_messages_in_total')).to.equal(0);
    const delivered = sample(before, 'parley_deliveries_total', '{transport="websocket"}') ?? 0;

    ann.send('hello');
    eve.send('hi from telnet');
    await bob.waitFor((e) => e.event_type === 'message' && e.participant === 'Eve');
    ann.send('/msg @Nobody psst');
    await ann.waitForType('error');
    const after = await scrape();
    expect(sample(after, 'parley_messages_in_total')).to.equal(2);
    // two messages to two WebSocket clients, and the error is not an event
    expect(sample(after, 'parley_deliveries_total', '{transport="websocket"}')).to.equal(
      delivered + 4,
    );
    expect(
      sample(
        after,
        'parley_client_errors_total',
        '{transport="websocket",code="participant_not_found"}',
      ),
    ).to.equal(1);
    expect(sample(after, 'parley_fanout_seconds_count')).to.equal(2);
    expect(sample(after, 'parley_storage_write_seconds_count')).to.equal(0); // memory storage
    expect(sample(after, 'nodejs_eventloop_lag_seconds')).to.be.a('number');
    expect(sample(after, 'process_resident_memory_bytes')).to.be.greaterThan(0);
  });

  it('/metrics times storage writes (file storage)', async () => {
    server = await startTestServer();
    const id = await createRoom(server.url, 'Lobby');
    const ann = await joinedClient(server.ws(joinPath(id, 'Ann')), 'Ann');
    cleanups.push(() => ann.socket.terminate());
    ann.send('stored');
    await ann.waitForType('message');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(sample(metrics, 'parley_storage_write_seconds_count')).to.equal(1);
    expect(sample(metrics, 'parley_storage_write_seconds_sum')).to.be.greaterThan(0);
  });

  it('/metrics with --metrics-token: 401 without the token or with a wrong one', async () => {
    server = await startTestServer({ storage: 'memory', metricsToken: 's3cret-token' });
    const get = (authorization?: string) =>
      fetch(`${server.url}/metrics`, authorization ? { headers: { authorization } } : {});
    const missing = await get();
    expect(missing.status).to.equal(401);
    expect(await missing.json()).to.deep.include({
      error: { code: 'unauthorized', message: 'GET /metrics needs Authorization: Bearer <token>' },
    });
    expect((await get('Bearer wrong')).status).to.equal(401);
    expect((await get('Bearer s3cret-token-and-more')).status).to.equal(401);
    const right = await get('Bearer s3cret-token');
    expect(right.status).to.equal(200);
    expect(await right.text()).to.contain('parley_connections');
  });

  it('/stats sums up the node: version, limits, transports, messages, rooms', async () => {
    server = await startTestServer({ storage: 'memory', maxRooms: 7 });
    const id = await createRoom(server.url, 'Lobby');
    const ann = await joinedClient(server.ws(joinPath(id, 'Ann')), 'Ann');
    cleanups.push(() => ann.socket.terminate());
    ann.send('hello');
    await ann.waitForType('message');
    const { status, body } = await getJson(`${server.url}/stats`);
    expect(status).to.equal(200);
    expect(body.options).to.include({ storage: 'memory', maxRooms: 7 });
    expect(body.messagesIn).to.equal(1);
    expect(body.rooms).to.deep.equal({
      total: 1,
      listed: [{ id, name: 'Lobby', participants: 1 }],
    });
    const websocket = (body.transports as { name: string; connections: number }[]).find(
      (transport) => transport.name === 'websocket',
    );
    expect(websocket).to.include({ connections: 1 });
  });
});
