/** Source of identifiers for rooms, messages and members. */
export interface IdGenerator {
  /**
   * A new identifier, unique across every node and restart, safe in URLs and file names
   * (letters and digits only), and sortable by creation time to the second. Not a secret: it
   * may be predictable, so nothing may rely on an id being hard to guess. Must not throw.
   */
  next(): string;
}
