import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, shareAcrossTests } from '../support/child-server.js';
import { startNode, stopNode, type ClusterNode } from '../support/cluster.js';
import { eventually } from '../support/eventually.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.js';
import { createRoom } from '../support/rooms.js';
import { SseTestClient } from '../support/sse-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

const NGINX_INSTALL_HINT = 'apt-get install -y nginx-light libnginx-mod-stream';
/** Debian builds the stream module as a dynamic module; the official image has it built in. */
const DEBIAN_STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

function nginxAvailable(): boolean {
  return spawnSync('nginx', ['-v']).status === 0;
}

/**
 * deploy/nginx.conf as docker-compose.yml runs it, with the compose service names and ports
 * swapped for this test's nodes and free ports, and its files in a temp dir.
 */
async function nginxConfig(
  nodes: readonly ClusterNode[],
  httpPort: number,
  linePort: number,
  dir: string,
): Promise<string> {
  let config = await readFile(join(ROOT, 'deploy/nginx.conf'), 'utf8');
  nodes.forEach((node, index) => {
    config = config
      .replace(`parley${index + 1}:8080`, `127.0.0.1:${node.server.port}`)
      .replace(`parley${index + 1}:4000`, `127.0.0.1:${node.tcpPort}`);
  });
  config = config
    .replace('listen 8080;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen 4000;', `listen 127.0.0.1:${linePort};`);
  const preamble = [
    existsSync(DEBIAN_STREAM_MODULE) ? `load_module ${DEBIAN_STREAM_MODULE};` : '',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log;`,
  ].join('\n');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${dir}/${kind};`)
    .join('\n');
  config = config.replace('http {', `http {\n  access_log off;\n${temp}`);
  return `${preamble}\n${config}`;
}

describe('docker-compose.yml’s nginx in front of two nodes (real nginx, deploy/nginx.conf)', function () {
  this.timeout(40_000);
  let redis: RedisServer | undefined;
  let nodes: ClusterNode[] = [];
  let nginx: ChildProcess | undefined;
  let dir: { path: string; remove(): Promise<void> } | undefined;
  let url = '';
  let linePort = 0;

  before(async function () {
    skipWithoutRedis(this);
    if (!nginxAvailable()) {
      if (process.env.CI === 'true') throw new Error(`nginx is missing: ${NGINX_INSTALL_HINT}`);
      console.log(`      (skipped: no nginx; ${NGINX_INSTALL_HINT})`);
      this.skip();
    }
    redis = await RedisServer.start();
    nodes = await Promise.all(['lb1', 'lb2'].map((id) => startNode(redis!.url(), id)));
    for (const node of nodes) shareAcrossTests(node.server);
    dir = await makeTempDir('parley-nginx-');
    const httpPort = await freeTcpPort();
    linePort = await freeTcpPort();
    const file = join(dir.path, 'nginx.conf');
    await writeFile(file, await nginxConfig(nodes, httpPort, linePort, dir.path));
    nginx = spawn('nginx', ['-p', dir.path, '-c', file, '-g', 'daemon off;'], { stdio: 'ignore' });
    url = `http://127.0.0.1:${httpPort}`;
    await eventually(
      'nginx answers',
      () =>
        fetch(`${url}/ping`).then(
          (r) => r.ok,
          () => false,
        ),
      10_000,
    );
  });

  after(async () => {
    if (nginx !== undefined && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx!.once('exit', resolve));
      nginx.kill('SIGQUIT');
      await exited;
    }
    for (const node of nodes) await stopNode(node);
    await redis?.destroy();
    await dir?.remove();
  });

  it('passes WebSocket upgrades, SSE streams and their posts, and the line port; the nodes are one server', async () => {
    const room = await createRoom(url, 'Balanced');
    const ws = url.replace(/^http/, 'ws');
    const ann = await joinedClient(ws + joinPath(room, 'Ann'), 'Ann');
    const bob = await joinedClient(ws + joinPath(room, 'Bob'), 'Bob');
    const cy = await SseTestClient.connect(url, room, 'Cy');
    const dee = await LineClient.telnet(linePort, 'Dee', room);
    // least_conn spread the connections: both nodes hold some.
    const perNode = await Promise.all(
      nodes.map(async (node) => {
        const stats = (await fetch(`${node.url}/stats`).then((r) => r.json())) as {
          transports: { connections: number }[];
        };
        return stats.transports.reduce((sum, transport) => sum + transport.connections, 0);
      }),
    );
    expect(
      perNode.every((count) => count > 0),
      `connections per node: ${perNode.join(', ')}`,
    ).to.be.true;

    ann.send('through nginx');
    for (const text of ['sse one', 'sse two', 'sse three'])
      expect(await cy.post(text)).to.equal(202);
    dee.send('from telnet');
    for (const client of [ann, bob]) {
      await client.waitFor((e) => e.event_type === 'message' && e.text === 'from telnet');
    }
    await cy.waitFor((e) => e.event_type === 'message' && e.text === 'from telnet');
    await dee.waitFor(/<Cy> sse three$/);
    const texts = bob.events.filter((e) => e.event_type === 'message').map((e) => e.text);
    expect(texts).to.include.members(['through nginx', 'sse one', 'sse two', 'sse three']);
    expect(texts.filter((t) => String(t).startsWith('sse'))).to.deep.equal([
      'sse one',
      'sse two',
      'sse three',
    ]);
    for (const client of [ann, bob, cy, dee]) await client.close();
  });
});
