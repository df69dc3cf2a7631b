import { readdir, readFile } from 'node:fs/promises';
import { startRedis, type BenchRedis } from './redis-server.js';
import { startTarget, type Layout, type RunningTarget, type Target } from './targets.js';

/** A running deployment: its Parley nodes, its Redis, and every server-side process. */
export interface RunningDeployment {
  readonly target: Target;
  readonly layout: Layout;
  /** One per node, in order: node 0 is where the publisher connects (node A). */
  readonly nodes: readonly RunningTarget[];
  readonly redis: BenchRedis | undefined;
  /** The port subscriber `i` (0-based) connects to, as the layout says. */
  subscriberPort(i: number): number;
  /** Every Parley process (nodes, `--procs` workers) and redis-server, read now. */
  serverPids(): Promise<{ parley: number[]; redis: number[] }>;
  stop(): Promise<void>;
}

/**
 * Starts a fresh redis-server (when the layout has one), then the Parley nodes on it, one
 * after the other, each pinned to the layout's server CPUs with its own node id.
 */
export async function startDeployment(target: Target): Promise<RunningDeployment> {
  const layout = target.layout;
  if (layout === undefined) throw new Error(`${target.name} is not a deployment`);
  const redis = layout.redis ? await startRedis(layout.serverCpus) : undefined;
  const nodes: RunningTarget[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
    await redis?.stop();
  };
  try {
    for (let n = 0; n < layout.nodes; n++) {
      const extraArgs =
        redis === undefined ? [] : ['--redis-url', redis.url, '--node-id', `bench-${n}`];
      nodes.push(await startTarget(target, [], { cpus: layout.serverCpus, extraArgs }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const port = (n: number): number => (nodes[n] as RunningTarget).port;
  return {
    target,
    layout,
    nodes,
    redis,
    subscriberPort: (i) =>
      layout.subscribers === 'same'
        ? port(0)
        : layout.subscribers === 'other'
          ? port(1)
          : port(i % 2 === 0 ? 1 : 0),
    serverPids: async () => ({
      parley: (await Promise.all(nodes.map((node) => withChildren(node.pid)))).flat(),
      redis: redis === undefined ? [] : [redis.pid],
    }),
    stop,
  };
}

/** The process and its children (a `--procs` primary's workers), from /proc. */
async function withChildren(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === pid) children.push(Number(entry));
  }
  return [pid, ...children];
}
