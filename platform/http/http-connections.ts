import type { Socket } from 'node:net';
import type { BudgetRefusal, ConnectionBudget } from '../lifecycle/connection-budget.js';

/** How long a connection refused for the budget may take to send the request it is answered on. */
const REFUSED_GRACE_MS = 2000;

/**
 * The sockets of the HTTP server. Plain HTTP connections take a place in the connection budget
 * like WebSocket and TCP clients (each holds a descriptor): a connection that arrives past it
 * is answered `503` on its first request (or upgrade) and closed. A socket that upgrades to
 * WebSocket leaves this count for the WebSocket gateway's. Every socket is known until it
 * closes, so shutdown can cut whatever is left, upgraded or not.
 */
export class HttpConnections {
  /** Connections speaking HTTP (not upgraded), within the budget. */
  private readonly plain = new Set<Socket>();
  /** Every open socket the server accepted, upgraded and refused ones included. */
  private readonly all = new Set<Socket>();
  private readonly refused = new WeakMap<Socket, BudgetRefusal>();

  constructor(private readonly budget: ConnectionBudget) {
    budget.register(() => this.plain.size);
  }

  /** The server's `connection` listener. */
  readonly accept = (socket: Socket): void => {
    const refusal = this.budget.refusal();
    this.all.add(socket);
    socket.once('close', () => {
      this.plain.delete(socket);
      this.all.delete(socket);
    });
    if (refusal === undefined) {
      this.plain.add(socket);
      return;
    }
    this.refused.set(socket, refusal);
    setTimeout(() => socket.destroy(), REFUSED_GRACE_MS).unref();
  };

  /** Why the socket's connection was refused, if it was. */
  refusalFor(socket: Socket): BudgetRefusal | undefined {
    return this.refused.get(socket);
  }

  /** Moves a socket out of the HTTP count: an upgrade or an event stream, whose transport counts it now. */
  handOver(socket: Socket): void {
    this.plain.delete(socket);
  }

  /** Cuts every socket still open (shutdown, at the deadline). */
  destroyAll(): void {
    for (const socket of this.all) socket.destroy();
  }
}
