let counter = 0;
let seq = 0;

/**
 * The message event every peer server sends, shaped and sized like Parley's (id, seq, room,
 * participant, text, sent_at), so the side-by-side compares server machinery rather than
 * payload sizes. The peers keep none of Parley's guarantees: the id is a counter, the seq is
 * one process-wide counter, and nothing is stored.
 */
export function messageEvent(room: string, participant: string, text: string): object {
  return {
    event_type: 'message',
    id: String(++counter).padStart(27, '0'),
    seq: ++seq,
    room,
    participant,
    text,
    sent_at: new Date().toISOString(),
  };
}
