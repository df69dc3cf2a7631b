import type { Participant } from '../chat/participant.js';

/** A participant and the room it is in. */
export interface PresentParticipant {
  readonly roomId: string;
  readonly participant: Participant;
}

/**
 * Who is in which room, and the one-nickname-per-room rule, across every node.
 *
 * Room ids and member ids are opaque strings: rooms whose ids differ are never confused. A
 * participant is given back exactly as claimed (every field, `origin` present or absent), its
 * name only changed by `rename`. Atomicity holds across nodes: a distributed implementation
 * checks and records in one step of the shared store (a script or transaction), never by
 * reading on the node and writing after. Join order is the order in which claims took effect
 * there, not the order of `joinedAt`. A node that stops without releasing its participants
 * leaves them behind in a shared store: a distributed implementation must remove them in
 * bounded time (e.g. entries per node that expire unless the node keeps refreshing them).
 */
export interface PresenceRegistry {
  /**
   * Records the participant in the room, last in join order, unless another participant there
   * holds a nickname that counts as the same: equal `caseless` or `cased` nickname key
   * (`nicknamesClash`: case and width variants, lookalikes). Resolves true when recorded,
   * false when the nickname is taken, or when the member id is already in the room (a
   * nickname changes only through `rename`). Atomic: of any number of concurrent claims for
   * clashing nicknames, exactly one wins.
   */
  claim(roomId: string, participant: Participant): Promise<boolean>;

  /**
   * Gives the participant with this member id a new nickname, keeping its place in join
   * order, unless another participant holds one that clashes with it, as for `claim` (its own
   * nickname never does: `ann` may become `Ann`). The old nickname is free for others once it
   * resolves. Resolves true when renamed, false when taken (or when the member is not in the
   * room). Atomic, like `claim`, also against concurrent claims.
   */
  rename(roomId: string, memberId: string, name: string): Promise<boolean>;

  /**
   * Marks the participant with this member id hidden or visible (see Participant.hidden),
   * keeping its place in join order and its nickname. Resolves false when the member is not in
   * the room.
   */
  setHidden(roomId: string, memberId: string, hidden: boolean): Promise<boolean>;

  /**
   * Removes the participant with this member id from the room, freeing its nickname for the
   * claims and renames that follow; a no-op when absent.
   */
  release(roomId: string, memberId: string): Promise<void>;

  /** Participants in the room, in join order; [] for an empty or unknown room. */
  list(roomId: string): Promise<Participant[]>;

  /**
   * Number of participants in each of the given rooms: one entry per distinct id asked for,
   * 0 for an empty or unknown room. One call however many rooms (a single round trip for a
   * shared store): it serves the room list.
   */
  counts(roomIds: readonly string[]): Promise<Map<string, number>>;

  /**
   * Everyone present, in any room and on any node, whose nickname clashes with `name` (as for
   * `claim`), with the room each is in: how a direct message finds its recipient across the
   * server. At most one per room (the rule `claim` keeps); [] when nobody. Sees every claim,
   * rename and release that has resolved.
   */
  locate(name: string): Promise<PresentParticipant[]>;
}
