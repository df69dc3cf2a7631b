import type { Metrics } from '../scenarios.js';

/** Everything one benchmark run measured, as written to bench/results/*.json. */
export interface BenchResults {
  readonly mode: 'quick' | 'full';
  readonly date: string;
  readonly commit: string;
  readonly machine: { cpus: string; cores: number; node: string; memoryGb: number };
  readonly rounds: number;
  readonly descriptions: Record<string, string>;
  /** scenario → server → one Metrics per round. */
  readonly scenarios: Record<string, Record<string, Metrics[]>>;
}
