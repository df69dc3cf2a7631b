/**
 * The slow-consumer rule shared by every transport: a client whose unsent bytes pass the limit
 * is dropped rather than allowed to hold memory or delay anyone else. History a client asked
 * for (its replay on join) does not count: the grace shrinks as that replay drains, so only
 * live traffic counts against the limit.
 */
export class BacklogLimit {
  private replayGrace = 0;

  constructor(private readonly limitBytes: number) {}

  /** Records that everything unsent right now is replay the client asked for. */
  excuse(unsent: number): void {
    this.replayGrace = unsent;
  }

  /** True when the live part of `unsent` is past the limit. Without a replay outstanding
   * (nearly always) this is a single comparison. */
  isExceeded(unsent: number): boolean {
    if (this.replayGrace === 0) return unsent > this.limitBytes;
    this.replayGrace = Math.min(this.replayGrace, unsent);
    return unsent - this.replayGrace > this.limitBytes;
  }
}
