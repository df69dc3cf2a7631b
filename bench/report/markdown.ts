import { spread } from '../support/stats.js';
import type { BenchResults } from './results.js';

/** The metric each scenario is judged by, and whether higher is better. */
const HEADLINE: Record<string, { metric: string; label: string; higherIsBetter: boolean }> = {
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
