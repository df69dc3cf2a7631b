import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Transport } from '../connections/transport.js';
import type { CountingBroker } from './counting-broker.js';
import type { TransportCounters } from './session-counters.js';
import type { StorageTimings } from './storage-timings.js';

/** Where the figures come from; each is read when `/metrics` is scraped, never on the hot path. */
export interface MetricSources {
  readonly transports: () => readonly Transport[];
  readonly counters: TransportCounters;
  readonly broker: CountingBroker;
  readonly storage: StorageTimings;
  /** Rooms there are. */
  readonly rooms: () => Promise<number>;
  /** 1 ready, 0 not (see readiness.ts). */
  readonly ready: () => Promise<boolean>;
  /** This node's id, a label on every metric, when it is one of several sharing a Redis. */
  readonly node?: string;
}

/**
 * The Prometheus registry (prom-client): the process's own figures (event-loop lag, heap, RSS,
 * CPU, descriptors, GC) and Parley's, per node. Parley's totals are kept as plain numbers where
 * they happen (an increment per delivery) and copied into the metrics at scrape time.
 */
export function createMetrics(sources: MetricSources): Registry {
  const registry = new Registry();
  if (sources.node !== undefined) registry.setDefaultLabels({ node: sources.node });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  registry.registerMetric(sources.broker.fanoutSeconds);
  registry.registerMetric(sources.storage.writeSeconds);
  new Gauge({
    name: 'parley_connections',
    help: 'Open client connections, by transport',
    labelNames: ['transport'],
    registers,
    collect() {
      for (const transport of sources.transports()) {
        this.set({ transport: transport.name }, transport.sessions.size);
      }
    },
  });
  new Gauge({
    name: 'parley_rooms',
    help: 'Rooms there are',
    registers,
    async collect() {
      this.set(await sources.rooms());
    },
  });
  new Gauge({
    name: 'parley_ready',
    help: '1 when the node is ready for new clients (GET /readyz), else 0',
    registers,
    async collect() {
      this.set((await sources.ready()) ? 1 : 0);
    },
  });
  new Counter({
    name: 'parley_messages_in_total',
    help: 'Room messages posted by clients of this node',
    registers,
    collect() {
      this.reset();
      this.inc(sources.broker.messages);
    },
  });
  new Counter({
    name: 'parley_deliveries_total',
    help: 'Events written to clients (messages, notices, private messages, replays), by transport',
    labelNames: ['transport'],
    registers,
    collect() {
      this.reset();
      for (const [transport, counters] of sources.counters.entries()) {
        this.inc({ transport }, counters.delivered);
      }
    },
  });
  new Counter({
    name: 'parley_client_errors_total',
    help: 'Errors clients were shown (rate_limited, slow_consumer, server_full…), by transport and code',
    labelNames: ['transport', 'code'],
    registers,
    collect() {
      this.reset();
      for (const [transport, counters] of sources.counters.entries()) {
        for (const [code, count] of counters.refusals) this.inc({ transport, code }, count);
      }
    },
  });
  return registry;
}
