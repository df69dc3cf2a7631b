import type { Logger } from '../logging/logger.js';
import type { ConnectionBudget } from '../lifecycle/connection-budget.js';
import type { Sheddable, SheddableClient } from '../memory/memory-guard.js';
import { awaitClosed } from './await-closed.js';
import type { ClientSession } from './client-session.js';
import { IdleSweep } from './idle-sweep.js';
import { Keepalive } from './keepalive.js';

/** The timings a transport's sessions are kept by (all from configuration; 0 turns one off). */
export interface SessionSetOptions {
  /** Sessions whose client sent nothing for this long are ended (`--idle`). */
  readonly idleTimeoutMs: number;
  /** How often each session's link is probed (`--ping-interval`), where the transport can. */
  readonly pingIntervalMs: number;
  /** How long a probed client has to answer (`--pong-timeout`). */
  readonly pongTimeoutMs: number;
}

/**
 * Every session of one transport: counted in the connection budget, probed by the keepalive,
 * swept for idleness, shed under memory pressure, told and closed at shutdown. What each
 * transport used to keep for itself, kept once.
 */
export class SessionSet implements Sheddable {
  private readonly sessions = new Set<ClientSession>();
  private readonly keepalive: Keepalive;
  private readonly idleSweep: IdleSweep;
  private overloadedNow = false;

  constructor(
    budget: ConnectionBudget,
    options: SessionSetOptions,
    private readonly logger: Logger,
  ) {
    budget.register(() => this.sessions.size);
    this.keepalive = new Keepalive(this.sessions, options.pingIntervalMs, options.pongTimeoutMs);
    this.idleSweep = new IdleSweep(this.sessions, options.idleTimeoutMs);
  }

  /** Starts the keepalive and the idle sweep. */
  start(): void {
    this.keepalive.start();
    this.idleSweep.start();
  }

  /** Keeps the session until it has closed. */
  add(session: ClientSession): void {
    this.sessions.add(session);
    void session.closed.then(() => this.sessions.delete(session));
  }

  /** Open sessions. */
  get size(): number {
    return this.sessions.size;
  }

  /** True while the memory guard refuses new clients. */
  get overloaded(): boolean {
    return this.overloadedNow;
  }

  setOverloaded(on: boolean): void {
    this.overloadedNow = on;
  }

  *sheddableClients(): Iterable<SheddableClient> {
    for (const session of this.sessions) if (session.isOpen) yield session;
  }

  /**
   * Tells every client the server is going and ends it; waits for them until `deadline`
   * (epoch ms), cuts the rest, and waits until every session has left its rooms.
   */
  async shutdown(deadline: number): Promise<void> {
    this.keepalive.stop();
    this.idleSweep.stop();
    for (const session of this.sessions) session.closeForShutdown();
    await awaitClosed(this.sessions, deadline, this.logger);
  }
}
