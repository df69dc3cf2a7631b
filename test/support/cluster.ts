import { startChildServer, type ChildServer } from './child-server.js';
import { freeTcpPort } from './line-client.js';

/** A Parley node of a Redis-backed cluster, running as a real child process. */
export interface ClusterNode {
  readonly id: string;
  readonly server: ChildServer;
  readonly url: string;
  readonly tcpPort: number;
  /** `ws://…` for a path. */
  ws(path: string): string;
}

/** Options every test node runs with. */
export const ADMIN_TOKEN = 'cluster-admin-token-0123456789abcdef';

/**
 * Starts a node on the Redis at `redisUrl`, with its own id, a line port, a short node TTL (so
 * that a killed node is reaped quickly) and the admin API on.
 */
export async function startNode(
  redisUrl: string,
  id: string,
  extra: readonly string[] = [],
): Promise<ClusterNode> {
  const tcpPort = await freeTcpPort();
  const args = [
    '--storage',
    'redis',
    '--redis-url',
    redisUrl,
    '--node-id',
    id,
    '--node-ttl',
    '2',
    '--tcp-port',
    String(tcpPort),
    '--admin-token',
    ADMIN_TOKEN,
    '--shutdown-timeout',
    '2',
    ...extra,
  ];
  const server = await startChildServer(args, {}, {}, 20_000);
  const ws = (path: string) => `${server.url.replace(/^http/, 'ws')}${path}`;
  return { id, server, url: server.url, tcpPort, ws };
}

/** Stops a node gracefully (SIGTERM) and waits for it to exit. */
export async function stopNode(node: ClusterNode): Promise<void> {
  if (node.server.process.exitCode !== null) return;
  node.server.process.kill('SIGTERM');
  await node.server.exited;
}
