import { getHeapStatistics } from 'node:v8';
import type { Logger } from '../logging/logger.js';

/** A client the guard may disconnect. */
export interface SheddableClient {
  /** When the client last sent something (epoch ms): among clients holding little, the most idle go first. */
  readonly lastHeardAt: number;
  /**
   * Memory the client holds: bytes queued for it and not yet taken by the network, and bytes
   * read from it and not yet handled. The biggest holders go first.
   */
  readonly heldBytes: number;
  /** Disconnects the client to free memory (telling it to try again later). */
  shed(): void;
}

/** Where the guard sheds load: the connections of one transport. */
export interface Sheddable {
  /** While on, new connections are refused (`overloaded`); existing ones are kept. */
  setOverloaded(on: boolean): void;
  /** The open clients, any order. */
  sheddableClients(): Iterable<SheddableClient>;
}

/** Marks and pace of the guard. Bytes are heap used plus memory held outside it by buffers. */
export interface MemoryGuardOptions {
  readonly highWaterBytes: number;
  readonly lowWaterBytes: number;
  readonly intervalMs: number;
  /** Share of the open connections shed per check while above high water. */
  readonly shedFraction: number;
  /** Fewest milliseconds between two forced garbage collections. */
  readonly collectEveryMs: number;
}

/** What the guard reads and runs: memory in use, and a full garbage collection. */
export interface MemoryProbe {
  inUse(): number;
  collect(): void;
}

/**
 * Heap in use plus external memory (Buffers: frames queued for slow readers live there). Read
 * from V8 rather than `process.memoryUsage()`, which opens `/proc/self/stat` and so fails when
 * the process is out of file descriptors — exactly when the guard must keep working.
 */
export function memoryInUse(): number {
  const { used_heap_size, external_memory } = getHeapStatistics();
  return used_heap_size + external_memory;
}

/** Held bytes from which a client counts as a holder, shed before any idle client. */
export const HOLDER_BYTES = 64 * 1024;

/**
 * chattypantz's promise: under memory pressure, shed clients instead of crashing. Above high
 * water it refuses new connections and disconnects a share of the clients (most idle first) on
 * every check; it stops shedding below high water and takes new clients again below low
 * water. A reading above high water (or any reading while overloaded) is taken again after a
 * full garbage collection, at most once per `collectEveryMs`, so garbage is never mistaken for
 * load and memory freed by shedding is seen even on a server gone quiet. Shedding is paced (a
 * share per check) to give each round's freed memory time to show.
 */
export class MemoryGuard {
  private timer: NodeJS.Timeout | undefined;
  private overloaded = false;
  private lastCollect = -Infinity;

  constructor(
    private readonly targets: readonly Sheddable[],
    private readonly options: MemoryGuardOptions,
    private readonly logger: Logger,
    private readonly probe: MemoryProbe,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.check(), this.options.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One reading, and what it calls for; a failed reading is logged and skipped, never thrown. */
  check(): void {
    try {
      this.checkNow();
    } catch (error) {
      this.logger.error({ err: error }, 'memory check failed');
    }
  }

  private checkNow(): void {
    const { highWaterBytes, lowWaterBytes, shedFraction } = this.options;
    let used = this.probe.inUse();
    if (used >= highWaterBytes || this.overloaded) used = this.collectAndRead(used);
    if (used >= highWaterBytes) {
      if (!this.overloaded) this.logger.warn({ used, highWaterBytes }, 'memory high: shedding');
      this.setOverloaded(true);
      const shed = this.shedMostIdle(shedFraction);
      if (shed > 0) this.logger.warn({ used, shed }, 'clients shed for memory');
    } else if (used < lowWaterBytes && this.overloaded) {
      this.logger.info({ used, lowWaterBytes }, 'memory back under low water: accepting');
      this.setOverloaded(false);
    }
  }

  private collectAndRead(reading: number): number {
    const now = performance.now();
    if (now - this.lastCollect < this.options.collectEveryMs) return reading;
    this.lastCollect = now;
    this.probe.collect();
    return this.probe.inUse();
  }

  // Across every transport at once. Clients holding memory (output queued for them, input read
  // from them and not yet handled) go first, the biggest first:
  // shedding them frees what they hold, whereas an idle client costs only its connection.
  // Then the most idle: a telnet user idle for an hour goes before a WebSocket client that
  // spoke a second ago.
  private shedMostIdle(fraction: number): number {
    const clients = this.targets.flatMap((target) => [...target.sheddableClients()]);
    const victims = clients
      .sort(holdersThenMostIdle)
      .slice(0, Math.ceil(clients.length * fraction));
    for (const client of victims) client.shed();
    return victims.length;
  }

  private setOverloaded(on: boolean): void {
    if (this.overloaded === on) return;
    this.overloaded = on;
    for (const target of this.targets) target.setOverloaded(on);
  }
}

function holdersThenMostIdle(a: SheddableClient, b: SheddableClient): number {
  const held = (client: SheddableClient): number =>
    client.heldBytes >= HOLDER_BYTES ? client.heldBytes : 0;
  return held(b) - held(a) || a.lastHeardAt - b.lastHeardAt;
}
