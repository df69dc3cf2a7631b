import { Histogram } from 'prom-client';

/**
 * How long storage writes take: each group-commit batch's write (fsync included under
 * `--fsync always`), observed by the file store and registered by createMetrics. Made before
 * storage opens, since storage is opened before everything else.
 */
export class StorageTimings {
  readonly writeSeconds = new Histogram({
    name: 'parley_storage_write_seconds',
    help: "Time to write one batch of messages to a room's file",
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [],
  });

  /** For the file store: one batch's write took this long. */
  readonly timedWrite = (seconds: number): void => this.writeSeconds.observe(seconds);
}
