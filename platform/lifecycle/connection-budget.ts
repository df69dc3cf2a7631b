import type { Logger } from '../logging/logger.js';

/** Why a new connection cannot be taken now. */
export interface BudgetRefusal {
  readonly code: 'server_full' | 'too_many_connections';
  readonly message: string;
}

/** How the budget guards the process's file descriptors. */
export interface DescriptorCap {
  /** Client connections allowed before descriptors run short (see `descriptorCap`). */
  readonly connections: number;
  /** Fewest milliseconds between two "out of descriptors" warnings. */
  readonly warnEveryMs: number;
}

/**
 * The `-n` limit, shared by every transport: a WebSocket client, a plain HTTP connection and a
 * telnet user take a place each from the same budget. Each transport registers how many
 * connections it holds; the sum is read when a new one knocks, so the count can never drift
 * from the truth.
 *
 * `--max-connections-per-ip` is kept the same way: transports that count their connections by
 * peer address (the sessions of WebSocket, SSE and the TCP ports; plain HTTP requests do not)
 * register that count too, and the sum for the knocking address is read.
 *
 * Beside `-n`, the budget keeps client connections below the process's descriptor limit, with a
 * reserve for storage and logs: running out of descriptors then refuses new clients (logged,
 * once per interval) instead of failing whatever needs a descriptor next.
 */
export class ConnectionBudget {
  private readonly counts: (() => number)[] = [];
  private readonly countsFrom: ((address: string) => number)[] = [];
  private lastWarning = -Infinity;

  /**
   * @param max connections allowed at once; 0 = unlimited.
   * @param maxPerAddress connections allowed at once from one peer address; 0 = unlimited.
   */
  constructor(
    readonly max: number,
    private readonly descriptors: DescriptorCap | undefined = undefined,
    private readonly logger: Logger | undefined = undefined,
    readonly maxPerAddress = 0,
  ) {}

  /** Adds a transport's live count to the total, and its count by peer address if it keeps one. */
  register(count: () => number, countFrom?: (address: string) => number): void {
    this.counts.push(count);
    if (countFrom !== undefined) this.countsFrom.push(countFrom);
  }

  /**
   * Why one more connection cannot be taken, or undefined when it can. With the peer address
   * (see peerAddressOf), the limit per address applies too.
   */
  refusal(address?: string): BudgetRefusal | undefined {
    if (address !== undefined && this.maxPerAddress > 0) {
      let fromAddress = 0;
      for (const countFrom of this.countsFrom) fromAddress += countFrom(address);
      if (fromAddress >= this.maxPerAddress) {
        return {
          code: 'too_many_connections',
          message: `at most ${this.maxPerAddress} connections at once from one address`,
        };
      }
    }
    const open = this.open();
    if (this.max > 0 && open >= this.max) {
      return { code: 'server_full', message: `this server takes at most ${this.max} connections` };
    }
    if (this.descriptors !== undefined && open >= this.descriptors.connections) {
      this.warnOutOfDescriptors(open);
      return {
        code: 'server_full',
        message: 'the server has no file descriptors to spare; try again later',
      };
    }
    return undefined;
  }

  private open(): number {
    let open = 0;
    for (const count of this.counts) open += count();
    return open;
  }

  private warnOutOfDescriptors(open: number): void {
    const now = performance.now();
    if (now - this.lastWarning < (this.descriptors?.warnEveryMs ?? 0)) return;
    this.lastWarning = now;
    this.logger?.warn(
      { open, allowed: this.descriptors?.connections },
      'out of file descriptors: refusing new connections',
    );
  }
}

/**
 * Client connections allowed under a descriptor limit: a tenth of the descriptors (at least 64)
 * stay free for room files, the audit log and the listeners themselves.
 * @example descriptorCap(20_000) // 18_000
 */
export function descriptorCap(descriptorLimit: number): number {
  return Math.max(1, descriptorLimit - Math.max(64, Math.ceil(descriptorLimit / 10)));
}
