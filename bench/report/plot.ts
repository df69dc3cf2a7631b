import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { spread } from '../support/stats.js';
import type { BenchResults } from './results.js';

interface Point {
  server: string;
  subscribers: number;
  metric: string;
  median: number;
  min: number;
  max: number;
}

const METRICS = [
  { key: 'deliveriesPerCpuSec', title: 'deliveries per server-CPU-second', scale: 'log' },
  { key: 'p99Ms', title: 'p99 latency, ms (log)', scale: 'log' },
] as const;

function fanoutPoints(results: BenchResults): Point[] {
  const points: Point[] = [];
  for (const [scenario, byServer] of Object.entries(results.scenarios)) {
    const match = /^fanout-(\d+)$/.exec(scenario);
    if (match === null) continue;
    for (const [server, rounds] of Object.entries(byServer)) {
      for (const { key } of METRICS) {
        const s = spread(rounds.map((round) => round[key] ?? Number.NaN));
        points.push({ server, subscribers: Number(match[1]), metric: key, ...s });
      }
    }
  }
  return points;
}

/**
 * The fan-out chart: for each server, deliveries per server-CPU-second and p99 latency against
 * room size (medians over rounds, bars from min to max), as an SVG. Undefined when the run had
 * no fan-out scenarios.
 */
export async function fanoutChart(results: BenchResults): Promise<string | undefined> {
  const values = fanoutPoints(results);
  if (values.length === 0) return undefined;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Fan-out, one room, one publisher (${results.machine.cores} cores, server pinned to one)`,
    data: { values },
    hconcat: METRICS.map(({ key, title, scale }) => ({
      title,
      width: 320,
      height: 240,
      transform: [{ filter: `datum.metric === '${key}'` }],
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: {
              field: 'subscribers',
              type: 'quantitative',
              scale: { type: 'log' },
              title: 'subscribers',
            },
            y: { field: 'median', type: 'quantitative', scale: { type: scale }, title: null },
            color: { field: 'server', type: 'nominal' },
          },
        },
        {
          mark: { type: 'rule' },
          encoding: {
            x: { field: 'subscribers', type: 'quantitative', scale: { type: 'log' } },
            y: { field: 'min', type: 'quantitative', scale: { type: scale } },
            y2: { field: 'max' },
            color: { field: 'server', type: 'nominal' },
          },
        },
      ],
    })),
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}
