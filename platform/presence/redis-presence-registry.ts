import type { Redis } from 'ioredis';
import { nicknameKeys } from '../../business/chat/nickname-keys.js';
import { withHidden, type Participant } from '../../business/chat/participant.js';
import type {
  PresenceRegistry,
  PresentParticipant,
} from '../../business/ports/presence-registry.js';
import type { Logger } from '../logging/logger.js';
import { RedisKeys } from '../storage/redis/redis-keys.js';
import {
  CLAIM,
  COUNTS,
  DEPART,
  HEARTBEAT,
  LIST,
  LOCATE,
  REAP,
  REASSERT,
  RELEASE,
  RENAME,
  SET_HIDDEN,
} from './redis-presence-scripts.js';

const P = RedisKeys.presence;

/**
 * Presence in Redis, shared by every node (`--storage redis`); see redis-presence-scripts.ts
 * for the keys. Each claim, rename and release is one script, atomic across nodes. Each entry
 * names the node that holds it, so that when a node dies its entries can be found and released
 * (see NodeLiveness).
 *
 * The registry also keeps, in the process, the participants this node holds: its own truth,
 * which it re-asserts when Redis has lost them (a restart without persistence, or this node
 * taken for dead after a long partition), and a release that could not reach Redis is retried
 * until it does, so that no entry of a participant who has gone is left behind.
 */
export class RedisPresenceRegistry implements PresenceRegistry {
  /** Room → member id → participant: what this node holds. */
  private readonly local = new Map<string, Map<string, Participant>>();
  /** Releases that could not reach Redis, retried by `retryReleases`. */
  private readonly pendingReleases = new Map<string, { roomId: string; memberId: string }>();

  /** `client` is the node's fail-fast command connection (see RedisConnections), not owned. */
  constructor(
    private readonly client: Redis,
    readonly nodeId: string,
    private readonly logger: Logger,
  ) {}

  async claim(roomId: string, participant: Participant): Promise<boolean> {
    let won: boolean;
    try {
      won = (await CLAIM.run(this.client, [], this.claimArgs(roomId, participant))) === 1;
    } catch (error) {
      // A claim that timed out may still run in Redis after the join was refused, leaving an
      // entry no session holds (a ghost, kept alive by this node's heartbeat). Undo it: on the
      // same connection, so after the claim; retried at each beat while Redis does not answer.
      void this.release(roomId, participant.memberId);
      throw error;
    }
    if (won) this.hold(roomId, participant);
    return won;
  }

  async rename(roomId: string, memberId: string, name: string): Promise<boolean> {
    const { caseless, cased } = nicknameKeys(name);
    const args = [P, roomId, memberId, name, caseless, cased];
    const renamed = (await RENAME.run(this.client, [], args)) === 1;
    const held = this.local.get(roomId)?.get(memberId);
    if (renamed && held !== undefined) this.hold(roomId, { ...held, name });
    return renamed;
  }

  async setHidden(roomId: string, memberId: string, hidden: boolean): Promise<boolean> {
    const args = [P, roomId, memberId, hidden ? '1' : ''];
    const done = (await SET_HIDDEN.run(this.client, [], args)) === 1;
    const held = this.local.get(roomId)?.get(memberId);
    if (done && held !== undefined) this.hold(roomId, withHidden(held, hidden));
    return done;
  }

  /**
   * Never rejects for Redis being away: the participant is gone from this node at once, and
   * its entry is released as soon as Redis answers again (`retryReleases`).
   */
  async release(roomId: string, memberId: string): Promise<void> {
    const room = this.local.get(roomId);
    room?.delete(memberId);
    if (room?.size === 0) this.local.delete(roomId);
    try {
      await RELEASE.run(this.client, [], [P, roomId, memberId]);
    } catch (error) {
      this.logger.warn({ err: error, roomId }, 'a release did not reach Redis; retried later');
      this.pendingReleases.set(`${roomId.length}:${roomId}${memberId}`, { roomId, memberId });
    }
  }

  async list(roomId: string): Promise<Participant[]> {
    const flat = (await LIST.run(this.client, [], [P, roomId])) as string[];
    return participants(flat, 0, 3).map(({ participant }) => participant);
  }

  async counts(roomIds: readonly string[]): Promise<Map<string, number>> {
    const ids = [...new Set(roomIds)];
    if (ids.length === 0) return new Map();
    const counts = (await COUNTS.run(this.client, [], [P, ...ids])) as number[];
    return new Map(ids.map((id, i) => [id, Number(counts[i] ?? 0)]));
  }

  async locate(name: string): Promise<PresentParticipant[]> {
    const { caseless, cased } = nicknameKeys(name);
    const flat = (await LOCATE.run(this.client, [], [P, caseless, cased])) as string[];
    return participants(flat, 1, 4);
  }

  // ── Node liveness (driven by NodeLiveness) ────────────────────────────────────────────────

  /** Marks this node alive for `ttlMs`; true when Redis did not know it (see HEARTBEAT). */
  async heartbeat(ttlMs: number): Promise<boolean> {
    return (await HEARTBEAT.run(this.client, [], [P, this.nodeId, ttlMs])) === 1;
  }

  /**
   * Records again every participant this node holds that Redis no longer has: `restored` those
   * recorded again, `lost` those that could not be (their nickname was taken meanwhile by
   * someone on another node).
   */
  async reassert(): Promise<{ restored: PresentParticipant[]; lost: PresentParticipant[] }> {
    const restored: PresentParticipant[] = [];
    const lost: PresentParticipant[] = [];
    for (const [roomId, members] of this.local) {
      for (const participant of [...members.values()]) {
        const outcome = await REASSERT.run(this.client, [], this.claimArgs(roomId, participant));
        if (outcome === 0) lost.push({ roomId, participant });
        else if (outcome === 2) restored.push({ roomId, participant });
      }
    }
    return { restored, lost };
  }

  /** Retries the releases Redis missed; resolves once each has reached it, or failed again. */
  async retryReleases(): Promise<void> {
    for (const [key, { roomId, memberId }] of this.pendingReleases) {
      await RELEASE.run(this.client, [], [P, roomId, memberId]);
      this.pendingReleases.delete(key);
    }
  }

  /** Releases the participants of every node whose time is past; each is returned to one caller only. */
  async reap(): Promise<PresentParticipant[]> {
    return participants((await REAP.run(this.client, [], [P])) as string[], 1, 4);
  }

  /** This node stops: it is no longer listed as alive (its participants have left already). */
  async depart(): Promise<void> {
    await DEPART.run(this.client, [], [P, this.nodeId]);
  }

  /** Whether this node holds the participant (still connected here). */
  holds(roomId: string, memberId: string): boolean {
    return this.local.get(roomId)?.has(memberId) ?? false;
  }

  /** Forgets a participant this node can no longer hold (see `reassert`), without Redis. */
  forget(roomId: string, memberId: string): void {
    this.local.get(roomId)?.delete(memberId);
  }

  private hold(roomId: string, participant: Participant): void {
    const room = this.local.get(roomId) ?? new Map<string, Participant>();
    room.set(participant.memberId, participant);
    this.local.set(roomId, room);
  }

  private claimArgs(roomId: string, participant: Participant): string[] {
    const { name, hidden, ...rest } = participant;
    const { caseless, cased } = nicknameKeys(name);
    const base = JSON.stringify(rest);
    const flag = hidden === true ? '1' : '';
    return [P, roomId, participant.memberId, base, name, flag, this.nodeId, caseless, cased];
  }
}

/**
 * Participants from a script's flat answer: `width` values each, the first being the room when
 * `roomAt` is 1, then the participant's JSON without name and hidden, its name, its flag.
 */
function participants(flat: readonly string[], roomAt: 0 | 1, width: number): PresentParticipant[] {
  const found: PresentParticipant[] = [];
  for (let i = 0; i + width <= flat.length; i += width) {
    const roomId = roomAt === 1 ? (flat[i] as string) : '';
    const base = JSON.parse(flat[i + roomAt] as string) as Omit<Participant, 'name' | 'hidden'>;
    const name = flat[i + roomAt + 1] as string;
    const hidden = flat[i + roomAt + 2] === '1';
    found.push({ roomId, participant: { ...base, name, ...(hidden && { hidden }) } });
  }
  return found;
}
