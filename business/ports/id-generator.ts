/** Source of identifiers for rooms, messages and members. */
export interface IdGenerator {
  /**
   * A new identifier, unique across every node and restart, safe in URLs and file names
   * (letters and digits only, at most 64 of them, so every storage accepts it as a room id:
   * see `isStorableRoomId`), and sortable by creation time to the second. Not a secret: it may
   * be predictable, so nothing may rely on an id being hard to guess. Must not throw.
   */
  next(): string;
}
