/** Someone present in a room through one live connection. */
export interface Participant {
  /** Unique per connection: two connections of the same person are two participants. */
  readonly memberId: string;
  readonly name: string;
  /** Milliseconds since the Unix epoch. */
  readonly joinedAt: number;
}
