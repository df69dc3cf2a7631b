import type { PresentParticipant } from '../../business/ports/presence-registry.js';
import type { Logger } from '../logging/logger.js';
import type { RedisPresenceRegistry } from './redis-presence-registry.js';

/** What a node does about the participants liveness finds. */
export interface LivenessHandlers {
  /** A participant of a dead node, released by this node (and by no other): announce its leave. */
  departed(gone: PresentParticipant): void;
  /**
   * A participant this node still holds, recorded again after Redis had lost it (or released
   * it, taking this node for dead): announce it, since the room may have been told it left.
   */
  restored(held: PresentParticipant): void;
  /**
   * A participant this node still holds but could not record again after Redis lost it (its
   * nickname was taken meanwhile on another node): end its session.
   */
  lost(held: PresentParticipant): void;
}

/**
 * A node's heartbeat in Redis, and the reaping of dead nodes (`--node-ttl`). Every quarter of
 * the TTL each node marks itself alive for three quarters of it, then releases the participants
 * of every node whose mark has run out: a node killed outright is found dead within the TTL,
 * and since the reaping is one script, exactly one survivor gets each of its participants.
 *
 * A node that finds Redis did not know it (Redis restarted without its data, or this node was
 * taken for dead during a long partition) records its participants again; a release that could
 * not reach Redis is retried at each beat.
 */
export class NodeLiveness {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private failing = false;
  private stopped = false;

  constructor(
    private readonly registry: RedisPresenceRegistry,
    private readonly ttlMs: number,
    private readonly handlers: LivenessHandlers,
    private readonly logger: Logger,
  ) {}

  /** Beats once (rejecting when Redis cannot be reached), then every quarter of the TTL. */
  async start(): Promise<void> {
    if (await this.registry.heartbeat(this.expiryMs)) await this.reassert();
    this.timer = setInterval(() => this.tick(), Math.max(this.ttlMs / 4, 10));
    this.timer.unref();
  }

  /** Stops beating and says this node is gone (its participants have left by then). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.registry.depart().catch(() => undefined);
  }

  private get expiryMs(): number {
    return Math.round((this.ttlMs * 3) / 4);
  }

  // One beat at a time: a beat slower than the interval delays the next, never overlaps it.
  private tick(): void {
    this.running = this.running.then(() => this.beat());
  }

  private async beat(): Promise<void> {
    if (this.stopped) return;
    try {
      if (await this.registry.heartbeat(this.expiryMs)) await this.reassert();
      await this.registry.retryReleases();
      for (const gone of await this.registry.reap()) this.handlers.departed(gone);
      if (this.failing) this.logger.info('node heartbeat in Redis resumed');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn({ err: error }, 'node heartbeat in Redis failed');
      this.failing = true;
    }
  }

  private async reassert(): Promise<void> {
    const { restored, lost } = await this.registry.reassert();
    if (restored.length + lost.length > 0) {
      const counts = { restored: restored.length, lost: lost.length };
      this.logger.warn(counts, 'Redis did not know this node: its participants recorded again');
    }
    for (const held of restored) this.handlers.restored(held);
    for (const held of lost) {
      this.registry.forget(held.roomId, held.participant.memberId);
      this.handlers.lost(held);
    }
  }
}
