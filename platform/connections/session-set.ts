import type { Origin } from '../../business/chat/participant.js';
import type { AuditTrail } from '../../business/ports/audit-trail.js';
import type { Logger } from '../logging/logger.js';
import type { ConnectionBudget } from '../lifecycle/connection-budget.js';
import type { Sheddable, SheddableClient } from '../memory/memory-guard.js';
import { awaitClosed } from './await-closed.js';
import { ClientSession, type SessionOptions, type SessionServices } from './client-session.js';
import { ConnectionAudit } from './connection-audit.js';
import type { SessionLink } from './session-link.js';
import type { SessionRenderer } from './session-renderer.js';
import { IdleSweep } from './idle-sweep.js';
import { Keepalive } from './keepalive.js';
import { plainAddress } from './peer.js';

/** The timings a transport's sessions are kept by (all from configuration; 0 turns one off). */
export interface SessionSetOptions extends SessionOptions {
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
  private readonly byAddress = new Map<string, number>();
  private readonly keepalive: Keepalive;
  private readonly idleSweep: IdleSweep;
  private overloadedNow = false;

  /** @param transport the transport's name, as its sessions are audited and logged */
  constructor(
    private readonly transport: string,
    private readonly services: SessionServices,
    private readonly options: SessionSetOptions,
    private readonly audit: AuditTrail,
    budget: ConnectionBudget,
    private readonly logger: Logger,
  ) {
    budget.register(
      () => this.sessions.size,
      (address) => this.byAddress.get(address) ?? 0,
    );
    this.keepalive = new Keepalive(this.sessions, options.pingIntervalMs, options.pongTimeoutMs);
    this.idleSweep = new IdleSweep(this.sessions, options.idleTimeoutMs);
  }

  /** Starts the keepalive and the idle sweep. */
  start(): void {
    this.keepalive.start();
    this.idleSweep.start();
  }

  /** A session for a new connection of the transport, kept here until it has closed. */
  open(link: SessionLink, renderer: SessionRenderer, peer: Origin | undefined): ClientSession {
    const address = peer === undefined ? undefined : plainAddress(peer.address);
    const audit = new ConnectionAudit(this.audit, this.transport, peer);
    const session = new ClientSession(
      link,
      renderer,
      this.services,
      this.options,
      audit,
      this.transport,
      address,
    );
    this.sessions.add(session);
    this.countFrom(address, +1);
    void session.closed.then(() => {
      this.sessions.delete(session);
      this.countFrom(address, -1);
    });
    return session;
  }

  // Open sessions by peer address, for --max-connections-per-ip.
  private countFrom(address: string | undefined, change: 1 | -1): void {
    if (address === undefined) return;
    const count = (this.byAddress.get(address) ?? 0) + change;
    if (count > 0) this.byAddress.set(address, count);
    else this.byAddress.delete(address);
  }

  /** Shows every session the announcement; returns how many were sent it. */
  announce(text: string, at: number): number {
    let told = 0;
    for (const session of this.sessions) if (session.announce(text, at)) told++;
    return told;
  }

  /** Tells and disconnects every session in the room; returns how many there were. */
  closeRoom(roomId: string, at: number): number {
    let closed = 0;
    for (const session of this.sessions) if (session.closeRoom(roomId, at)) closed++;
    return closed;
  }

  /** Disconnects the room's participant with this nickname; false when no session is it. */
  kick(roomId: string, participant: string, reason: string): boolean {
    for (const session of this.sessions) if (session.kick(roomId, participant, reason)) return true;
    return false;
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
