/** Someone present in a room through one live connection. */
export interface Participant {
  /** Unique per connection: two connections of the same person are two participants. */
  readonly memberId: string;
  readonly name: string;
  /** Milliseconds since the Unix epoch. */
  readonly joinedAt: number;
  /** Where the connection comes from, when the server announces it (`--announce-addresses`). */
  readonly origin?: Origin;
}

/** A client's network address, as its transport saw it. */
export interface Origin {
  readonly address: string;
  readonly port: number;
}

/** `{ origin }` when the participant's origin is announced, else nothing: for spreading into events. */
export function withOrigin(participant: Participant): { origin?: Origin } {
  return participant.origin === undefined ? {} : { origin: participant.origin };
}
