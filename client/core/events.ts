/**
 * The server's events as Parley's own clients read them (docs/protocol.md, "Events"). Only the
 * keys the clients use are typed; the server may add keys, and clients ignore what they do not
 * know.
 */

/** A chat message: live (`message` event), replayed at join (`history: true`) or from a page. */
export interface ChatMessage {
  readonly id: string;
  readonly seq: number;
  readonly participant: string;
  readonly text: string;
  readonly sent_at: string;
  readonly room?: string;
  readonly history?: boolean;
}

export interface ServerEvent {
  readonly event_type: string;
  readonly [key: string]: unknown;
}

export interface MessageEvent extends ServerEvent, ChatMessage {
  readonly event_type: 'message';
}

export interface ErrorEvent extends ServerEvent {
  readonly event_type: 'error';
  readonly code: string;
  readonly message: string;
}

export function isMessage(event: ServerEvent): event is MessageEvent {
  return event.event_type === 'message' && typeof event.seq === 'number';
}

export function isError(event: ServerEvent): event is ErrorEvent {
  return event.event_type === 'error' && typeof event.code === 'string';
}

/** Parses one frame or SSE `data:`; anything that is not a JSON object with an event type is not an event. */
export function parseEvent(text: string): ServerEvent | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const type = (value as { event_type?: unknown }).event_type;
    return typeof type === 'string' ? (value as ServerEvent) : undefined;
  } catch {
    return undefined;
  }
}
