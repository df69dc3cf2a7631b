/** Someone present in a room through one live connection. */
export interface Participant {
  /** Unique per connection: two connections of the same person are two participants. */
  readonly memberId: string;
  readonly name: string;
  /** Milliseconds since the Unix epoch. */
  readonly joinedAt: number;
  /** Where the connection comes from, when the server announces it (`--announce-addresses`). */
  readonly origin?: Origin;
  /**
   * Present but left out of every participant list (chattypantz's hidden nicknames): the room
   * still hears them join and leave, and their nickname stays taken. Absent: visible.
   */
  readonly hidden?: boolean;
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

/** The nicknames a participant list shows: everyone present except the hidden, in join order. */
export function visibleNames(participants: readonly Participant[]): string[] {
  return participants.filter((participant) => participant.hidden !== true).map(({ name }) => name);
}

/** The participant, hidden or visible (a visible one has no `hidden` field at all). */
export function withHidden(participant: Participant, hidden: boolean): Participant {
  const { memberId, name, joinedAt, origin } = participant;
  return { memberId, name, joinedAt, ...(origin && { origin }), ...(hidden && { hidden }) };
}
