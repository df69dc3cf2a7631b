import { createParser } from 'eventsource-parser';
import { type ServerEvent, parseEvent } from './events.js';
import { type Fetch, errorFrom } from './parley-api.js';

/** Where and as whom a channel joins. */
export interface JoinTarget {
  /** The server's HTTP address, e.g. `http://localhost:8080`. */
  readonly baseUrl: string;
  readonly roomId: string;
  readonly name: string;
  /** Whether the server replays the room's recent history at join. */
  readonly history: boolean;
  readonly token?: string;
}

/** How a channel ended. `reason` is the server's error code when it gave one (a close reason, an HTTP error). */
export interface ChannelEnd {
  /** Whether the channel had opened (a refused or unreachable join never did). */
  readonly opened: boolean;
  /** The WebSocket close code, or the HTTP status of a refused SSE join; 0 when there was none. */
  readonly code: number;
  readonly reason: string;
}

export interface ChannelHandlers {
  opened(): void;
  event(event: ServerEvent): void;
  /** Called once, whatever ended the channel, also after `close()`. */
  ended(end: ChannelEnd): void;
}

/** One connection to one room: texts in (messages and `/commands`), events out. */
export interface Channel {
  /** Sends one chat message or command; texts arrive in the order they were sent. */
  send(text: string): void;
  close(): void;
}

export interface ChannelFactory {
  /** `websocket` or `sse`: shown to the person as the connection's kind. */
  readonly kind: string;
  open(target: JoinTarget, handlers: ChannelHandlers): Channel;
}

/** What a WebSocket implementation (the browser's, the `ws` package) tells a channel. */
export interface SocketEvents {
  open(): void;
  text(data: string): void;
  close(code: number, reason: string): void;
}

export interface RawSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a WebSocket to `url` and reports on it; each client adapts its own WebSocket class. */
export type SocketOpener = (url: string, events: SocketEvents) => RawSocket;

/** The WebSocket transport: `ws(s)://…/chat/join?name=&room=` (docs/protocol.md, "WebSocket"). */
export function webSocketChannels(openSocket: SocketOpener): ChannelFactory {
  return {
    kind: 'websocket',
    open(target, handlers) {
      const url = new URL(`${target.baseUrl.replace(/^http/, 'ws')}/chat/join`);
      url.searchParams.set('name', target.name);
      url.searchParams.set('room', target.roomId);
      if (!target.history) url.searchParams.set('history', '0');
      if (target.token !== undefined) url.searchParams.set('token', target.token);
      let opened = false;
      let ended = false;
      const socket = openSocket(url.toString(), {
        open() {
          opened = true;
          handlers.opened();
        },
        text(data) {
          const event = parseEvent(data);
          if (event !== undefined && !ended) handlers.event(event);
        },
        close(code, reason) {
          if (ended) return;
          ended = true;
          handlers.ended({ opened, code, reason });
        },
      });
      return {
        send: (text) => {
          if (!ended) socket.send(text);
        },
        close: () => socket.close(1000),
      };
    },
  };
}

/**
 * The Server-Sent Events transport (docs/protocol.md, "Server-Sent Events"), read with `fetch`
 * rather than `EventSource` so that a refused join shows its HTTP status and error code (an
 * `EventSource` sees only "failed"). Texts are posted one at a time, each after the previous
 * was taken, so they arrive in the order they were sent.
 */
export function sseChannels(fetchFn: Fetch = (input, init) => fetch(input, init)): ChannelFactory {
  return {
    kind: 'sse',
    open(target, handlers) {
      const room = encodeURIComponent(target.roomId);
      const query = new URLSearchParams({ name: target.name });
      if (!target.history) query.set('history', '0');
      const headers: Record<string, string> =
        target.token === undefined ? {} : { authorization: `Bearer ${target.token}` };
      const abort = new AbortController();
      // Texts posted before the stream named its session wait for it.
      let nameSession: (key: string) => void = () => undefined;
      const session = new Promise<string>((resolve) => (nameSession = resolve));
      let opened = false;
      let ended = false;
      let posting: Promise<void> = Promise.resolve();

      const end = (code: number, reason: string): void => {
        if (ended) return;
        ended = true;
        abort.abort();
        handlers.ended({ opened, code, reason });
      };

      const read = async (): Promise<void> => {
        const answer = await fetchFn(`${target.baseUrl}/chat/${room}/events?${query.toString()}`, {
          headers: { ...headers, accept: 'text/event-stream' },
          signal: abort.signal,
        });
        if (!answer.ok || answer.body === null) {
          const error = errorFrom(answer.status, await answer.text());
          return end(answer.status, error.code);
        }
        opened = true;
        handlers.opened();
        let lastError = '';
        const parser = createParser({
          onEvent(message) {
            const event = parseEvent(message.data);
            if (event === undefined || ended) return;
            if (event.event_type === 'session' && typeof event.session === 'string') {
              nameSession(event.session);
              return;
            }
            if (event.event_type === 'error' && typeof event.code === 'string') {
              lastError = event.code;
            }
            handlers.event(event);
          },
        });
        const decoder = new TextDecoder();
        const reader = (answer.body as ReadableStream<Uint8Array>).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
        // A stream has no close frame: the last error event, if any, says why it ended.
        end(0, lastError);
      };
      read().catch(() => end(0, ''));

      const post = async (text: string): Promise<void> => {
        const key = await session;
        if (ended) return;
        const answer = await fetchFn(`${target.baseUrl}/chat/${room}/messages`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'text/plain', 'parley-session': key },
          body: text,
          signal: abort.signal,
        });
        if (!answer.ok) end(answer.status, errorFrom(answer.status, await answer.text()).code);
      };

      return {
        send(text) {
          posting = posting.then(() => post(text)).catch(() => end(0, ''));
        },
        close: () => end(0, 'quit'),
      };
    },
  };
}
