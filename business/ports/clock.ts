/** The time source of the domain, injected so that tests can fix time. */
export interface Clock {
  /**
   * Wall-clock milliseconds since the Unix epoch. Used for timestamps shown to people, never for
   * ordering (a room's `seq` orders its messages). Must not throw.
   */
  now(): number;
}
