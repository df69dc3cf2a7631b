import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { Command, Option } from 'commander';
import { markdownReport } from './report/markdown.js';
import { fanoutChart } from './report/plot.js';
import type { BenchResults } from './report/results.js';
import { SCENARIOS, type Metrics, type Timing } from './scenarios.js';
import { TARGETS } from './support/targets.js';

/**
 * The benchmark runner. Servers run pinned to CPU 0, the runner and its load workers to CPU 1.
 * Each round starts every server fresh, in rotated order (A B C, B C A, …), so drift on a
 * shared machine spreads over all servers. `npm run bench` is the quick run (under two
 * minutes); `npm run bench:full` runs every scenario. `npm run bench:cluster` compares Parley
 * deployments on Redis (cross-node, `--procs 2`; needs `redis-server`), pinned as their
 * layouts say (bench/support/targets.ts).
 */
const program = new Command('bench')
  .addOption(
    new Option('--mode <mode>', 'quick or full').choices(['quick', 'full']).default('quick'),
  )
  .option('--scenario <names...>', 'only these scenarios')
  .option('--rounds <n>', 'rounds per scenario', (v) => Number(v))
  .option('--targets <names...>', 'only these servers')
  .option('--out <dir>', 'where results go', 'bench/results')
  .option('--name <name>', 'results file prefix (default: the mode), as in latest-<name>.md')
  .parse();

const options = program.opts<{
  mode: 'quick' | 'full';
  scenario?: string[];
  targets?: string[];
  rounds?: number;
  out: string;
  name?: string;
}>();
const prefix = options.name ?? options.mode;
const quick = options.mode === 'quick';
const rounds = options.rounds ?? (quick ? 3 : 5);
const timing: Timing = quick
  ? { warmupMs: 700, measureMs: 1500 }
  : { warmupMs: 1000, measureMs: 3000 };
const chosen = SCENARIOS.filter((s) =>
  options.scenario !== undefined
    ? options.scenario.includes(s.name)
    : s.onRequest !== true && (!quick || ['fanout-100', 'fanout-1000'].includes(s.name)),
);

execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

const results: BenchResults = {
  mode: options.mode,
  date: new Date().toISOString(),
  commit: execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim(),
  machine: {
    cpus: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    memoryGb: Math.round(totalmem() / 2 ** 30),
  },
  rounds,
  descriptions: Object.fromEntries(chosen.map((s) => [s.name, s.description])),
  scenarios: {},
};

for (const scenario of chosen) {
  const targets = scenario.targets.filter(
    (t) => options.targets === undefined || options.targets.includes(t),
  );
  const byTarget: Record<string, Metrics[]> = Object.fromEntries(targets.map((t) => [t, []]));
  results.scenarios[scenario.name] = byTarget;
  for (let round = 0; round < rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length] ?? 'parley');
    for (const name of order) {
      const metrics = await scenario.run(TARGETS[name], timing);
      byTarget[name]?.push(metrics);
      const summary = Object.entries(metrics)
        .map(([k, v]) => `${k}=${Number.isFinite(v) ? +v.toFixed(2) : v}`)
        .join(' ');
      process.stdout.write(`${scenario.name} round ${round + 1}/${rounds} ${name}: ${summary}\n`);
    }
  }
}

await mkdir(options.out, { recursive: true });
const stamp = results.date.replace(/[:.]/g, '-');
const json = JSON.stringify(results, null, 2);
const markdown = markdownReport(results);
await writeFile(`${options.out}/${prefix}-${stamp}.json`, json);
await writeFile(`${options.out}/latest-${prefix}.json`, json);
await writeFile(`${options.out}/latest-${prefix}.md`, markdown);
const chart = await fanoutChart(results);
if (chart !== undefined) await writeFile(`${options.out}/latest-${prefix}-fanout.svg`, chart);
process.stdout.write(`\n${markdown}\n`);
