import type { MemberEvent } from '../../business/chat/room-event.js';

/**
 * One Server-Sent Event: `data:` holds one JSON text (JSON never holds a raw line break, so one
 * `data:` line is the whole of it), `id:` the message's `seq` when there is one, so that a
 * browser's `EventSource` knows where the conversation stood.
 * @example sseEvent('{"event_type":"message",…}', 42) // 'id: 42\ndata: {…}\n\n' as bytes
 */
export function sseEvent(json: string, id?: number): Buffer {
  const head = id === undefined ? '' : `id: ${id}\n`;
  return Buffer.from(`${head}data: ${json}\n\n`, 'utf8');
}

/** The `seq` of a message event; undefined for every other event. */
export function seqOf(event: MemberEvent): number | undefined {
  return event.type === 'message_posted' || event.type === 'message_replayed'
    ? event.message.seq
    : undefined;
}

/** A comment line: keeps proxies and the browser from taking a quiet stream for a dead one. */
export const SSE_KEEPALIVE = Buffer.from(': keepalive\n\n', 'utf8');
