import type { Participant } from '../chat/participant.js';

/** Who is in which room, and the one-nickname-per-room rule, across every node. */
export interface PresenceRegistry {
  /**
   * Records the participant in the room unless another participant there holds a nickname that
   * counts as the same: equal `caseless` or `cased` nickname key (`nicknamesClash`: case and
   * width variants, lookalikes). Resolves true when recorded, false when the nickname is taken.
   * Atomic: of two concurrent claims for clashing nicknames, exactly one wins.
   */
  claim(roomId: string, participant: Participant): Promise<boolean>;

  /**
   * Gives the participant with this member id a new nickname, keeping its place in join
   * order, unless another participant holds one that clashes with it, as for `claim` (its own
   * nickname never does). Resolves true when renamed, false when taken (or when the member is
   * not in the room). Atomic, like `claim`.
   */
  rename(roomId: string, memberId: string, name: string): Promise<boolean>;

  /** Removes the participant with this member id from the room; a no-op when absent. */
  release(roomId: string, memberId: string): Promise<void>;

  /** Participants in the room, in join order; [] for an empty or unknown room. */
  list(roomId: string): Promise<Participant[]>;

  /** Number of participants in each of the given rooms (0 when none). */
  counts(roomIds: readonly string[]): Promise<Map<string, number>>;
}
