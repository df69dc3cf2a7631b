import { spawn } from 'node:child_process';

/** Hardware counters of a process over a window; NaN where `perf` is missing or not allowed. */
export interface Counters {
  readonly instructions: number;
  readonly cycles: number;
  /** write(2) and writev(2) calls: how well socket writes were coalesced. */
  readonly writeCalls: number;
}

/**
 * Counts the instructions and cycles a process (or several, summed) executes (user and kernel, every thread) from
 * now until `stop`, with `perf stat`. On a shared, noisy machine these are far steadier than
 * CPU seconds: instructions hardly vary at all, and cycles do not count time spent descheduled
 * or slowed by frequency changes.
 */
export function startCounters(pid: number | readonly number[]): { stop(): Promise<Counters> } {
  const events = 'instructions,cycles,syscalls:sys_enter_write,syscalls:sys_enter_writev';
  const pids = typeof pid === 'number' ? String(pid) : pid.join(',');
  const perf = spawn('perf', ['stat', '-x', ',', '-e', events, '-p', pids], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  perf.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => {
    perf.once('exit', () => resolve());
    perf.once('error', () => resolve());
  });
  return {
    stop: async () => {
      perf.kill('SIGINT');
      await exited;
      return {
        instructions: counter(output, 'instructions'),
        cycles: counter(output, 'cycles'),
        writeCalls:
          counter(output, 'syscalls:sys_enter_write') +
          counter(output, 'syscalls:sys_enter_writev'),
      };
    },
  };
}

function counter(output: string, event: string): number {
  const line = output.split('\n').find((l) => l.split(',')[2] === event);
  const value = Number(line?.split(',')[0]);
  return Number.isFinite(value) && value > 0 ? value : Number.NaN;
}
