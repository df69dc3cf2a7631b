import { spread } from '../support/stats.js';
import type { BenchResults } from './results.js';

/**
 * The metric each scenario is judged by, and whether higher is better. With a `baseline`, the
 * ratio column is each server ÷ the baseline (deployments of Parley compared with one of
 * them), with p99 also given as a ratio; otherwise it is Parley ÷ each server.
 */
const HEADLINE: Record<
  string,
  {
    metric: string;
    label: string;
    higherIsBetter: boolean;
    baseline?: string;
    /** The latency given as a ratio too (default p99Ms). */
    latency?: string;
  }
> = {
  'cross-node': {
    metric: 'deliveriesPerCpuSec',
    label: 'deliveries per server-CPU-second',
    higherIsBetter: true,
    baseline: 'redis-1-node',
    latency: 'p99MsPaced',
  },
  procs: {
    metric: 'deliveriesPerSec',
    label: 'deliveries per second',
    higherIsBetter: true,
    baseline: 'redis-1-proc-2-cores',
  },
  'procs-rooms': {
    metric: 'deliveriesPerSec',
    label: 'deliveries per second',
    higherIsBetter: true,
    baseline: 'redis-1-proc-2-cores',
  },
  'fanout-10': {
    metric: 'deliveriesPerCpuSec',
    label: 'deliveries per server-CPU-second',
    higherIsBetter: true,
  },
  'fanout-10000': {
    metric: 'deliveriesPerCpuSec',
    label: 'deliveries per server-CPU-second',
    higherIsBetter: true,
  },
  'fanout-100': {
    metric: 'deliveriesPerCpuSec',
    label: 'deliveries per server-CPU-second',
    higherIsBetter: true,
  },
  'fanout-1000': {
    metric: 'deliveriesPerCpuSec',
    label: 'deliveries per server-CPU-second',
    higherIsBetter: true,
  },
  'latency-1000x20': { metric: 'p99Ms', label: 'p99 latency, ms', higherIsBetter: false },
  'latency-slow-consumer': {
    metric: 'p99SlowOverReading',
    label: 'p99 with a slow consumer ÷ p99 without',
    higherIsBetter: false,
  },
  'rooms-1000x10': {
    metric: 'deliveriesPerCpuSec',
    label: 'deliveries per server-CPU-second',
    higherIsBetter: true,
  },
  'storage-fanout-1000': {
    metric: 'deliveriesPerCpuSec',
    label: 'deliveries per server-CPU-second',
    higherIsBetter: true,
  },
  'memory-10000': {
    metric: 'rssKbPerConnection',
    label: 'RSS per connection, KB',
    higherIsBetter: false,
  },
  'join-storm-rooms-of-10': {
    metric: 'secondsToAllJoined',
    label: 'seconds to all joined',
    higherIsBetter: false,
  },
  'join-storm-one-room': {
    metric: 'secondsToAllJoined',
    label: 'seconds to all joined',
    higherIsBetter: false,
  },
};

const format = (value: number): string =>
  !Number.isFinite(value)
    ? 'n/a'
    : Math.abs(value) >= 100
      ? Math.round(value).toLocaleString('en-US')
      : value.toFixed(2);

/** One table per scenario: every metric's median [min–max] per server, and Parley's ratio. */
export function markdownReport(results: BenchResults): string {
  const lines = [
    `Run: ${results.mode}, ${results.rounds} rounds, ${results.date}, commit ${results.commit}`,
    '',
  ];
  for (const [scenario, byTarget] of Object.entries(results.scenarios)) {
    const headline = HEADLINE[scenario];
    const metrics = Object.keys(Object.values(byTarget)[0]?.[0] ?? {});
    lines.push(`### ${scenario}`, '', results.descriptions[scenario] ?? '', '');
    const baseline = headline?.baseline;
    if (baseline !== undefined) {
      const latency = headline?.latency ?? 'p99Ms';
      lines.push(...baselineTable(byTarget, metrics, [headline?.metric ?? '', latency], baseline));
      lines.push('');
      continue;
    }
    const parley =
      byTarget.parley?.map((round) => round[headline?.metric ?? ''] ?? Number.NaN) ?? [];
    lines.push(`| server | ${metrics.join(' | ')} | Parley ÷ server (${headline?.label ?? ''}) |`);
    lines.push(`| --- | ${metrics.map(() => '---:').join(' | ')} | ---: |`);
    for (const [target, rounds] of Object.entries(byTarget)) {
      const cells = metrics.map((metric) => {
        const s = spread(rounds.map((round) => round[metric] ?? Number.NaN));
        return `${format(s.median)} [${format(s.min)}–${format(s.max)}]`;
      });
      const theirs = rounds.map((round) => round[headline?.metric ?? ''] ?? Number.NaN);
      const ratio = spread(parley).median / spread(theirs).median;
      lines.push(`| ${target} | ${cells.join(' | ')} | ${format(ratio)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * Each deployment against the baseline: the ratio of medians, and the median of the per-round
 * ratios (the rounds alternate the deployments, so round r of each ran close in time).
 */
function baselineTable(
  byTarget: Record<string, Record<string, number>[]>,
  metrics: string[],
  compared: readonly string[],
  baseline: string,
): string[] {
  const base = byTarget[baseline] ?? [];
  const ratios = (rounds: Record<string, number>[], key: string): string => {
    const of = (rs: Record<string, number>[]): number[] =>
      rs.map((round) => round[key] ?? Number.NaN);
    const perRound = of(rounds).map((v, i) => v / (of(base)[i] ?? Number.NaN));
    return `${format(spread(of(rounds)).median / spread(of(base)).median)} (${format(spread(perRound).median)})`;
  };
  const lines = [
    `| deployment | ${metrics.join(' | ')} | ${compared.map((m) => `÷ ${baseline}: ${m}`).join(' | ')} |`,
    `| --- | ${[...metrics, ...compared].map(() => '---:').join(' | ')} |`,
  ];
  for (const [target, rounds] of Object.entries(byTarget)) {
    const cells = metrics.map((key) => {
      const s = spread(rounds.map((round) => round[key] ?? Number.NaN));
      return `${format(s.median)} [${format(s.min)}–${format(s.max)}]`;
    });
    const ratioCells = compared.map((key) => ratios(rounds, key));
    lines.push(`| ${target} | ${[...cells, ...ratioCells].join(' | ')} |`);
  }
  return lines;
}
