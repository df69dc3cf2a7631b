import type { ChatMessage } from './events.js';

export interface RoomSummary {
  readonly id: string;
  readonly name: string;
  readonly participants: number;
  readonly created_at: string;
}

export interface RoomDetails {
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
  readonly participants: readonly { readonly name: string; readonly joined_at: string }[];
  readonly participant_count: number;
}

export interface HistoryRequest {
  readonly after?: number;
  readonly before?: number;
  readonly limit?: number;
}

/** An error answer of the REST API (`{"error":{"code","message"}}`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The `fetch` both clients have (the browser's, Node's); injectable for tests. */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ParleyApiOptions {
  /** The server's HTTP address, e.g. `http://localhost:8080` (a path prefix is kept). */
  readonly baseUrl: string;
  /** An access token, when the server requires them (`Authorization: Bearer`). */
  readonly token?: string;
  readonly fetch?: Fetch;
}

/**
 * Parley's REST API as its clients use it (docs/protocol.md, "REST"): rooms, room details and
 * history pages. Every failure is an `ApiError` carrying the server's error code.
 */
export class ParleyApi {
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly #fetch: Fetch;

  constructor(options: ParleyApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** One page of rooms, oldest first, starting after the room `after`; `next` names the page after it. */
  async rooms(after?: string, limit = 100): Promise<{ rooms: RoomSummary[]; next?: string }> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (after !== undefined) query.set('after', after);
    const rooms = await this.#json<RoomSummary[]>(`/chat?${query.toString()}`);
    const last = rooms[rooms.length - 1];
    return rooms.length === limit && last !== undefined ? { rooms, next: last.id } : { rooms };
  }

  /** Every room, page after page (bounded: a server with more than `max` rooms is cut there). */
  async allRooms(max = 10_000): Promise<RoomSummary[]> {
    const all: RoomSummary[] = [];
    let after: string | undefined;
    do {
      const page = await this.rooms(after, 1000);
      all.push(...page.rooms);
      after = page.next;
    } while (after !== undefined && all.length < max);
    return all;
  }

  async createRoom(name: string): Promise<RoomSummary> {
    const created = await this.#json<{ id: string; name: string }>(
      `/chat?${new URLSearchParams({ name }).toString()}`,
      { method: 'POST' },
    );
    return { ...created, participants: 0, created_at: new Date().toISOString() };
  }

  /**
   * The room a person means by `nameOrId`: the room with that id, else the oldest room with that
   * name (compared without regard to case, as the server's `/join` does), else a new room of
   * that name.
   */
  async findOrCreateRoom(nameOrId: string): Promise<RoomSummary> {
    const wanted = nameOrId.trim().replace(/^#/, '');
    const rooms = await this.allRooms();
    const byId = rooms.find((room) => room.id === wanted);
    if (byId !== undefined) return byId;
    const folded = wanted.toLocaleLowerCase();
    const byName = rooms.find((room) => room.name.toLocaleLowerCase() === folded);
    return byName ?? (await this.createRoom(wanted));
  }

  async room(id: string): Promise<RoomDetails> {
    return this.#json<RoomDetails>(`/chat/${encodeURIComponent(id)}`);
  }

  /** A page of the room's history by seq, oldest first (`after`: catching up; `before`: scrolling back). */
  async history(roomId: string, request: HistoryRequest = {}): Promise<ChatMessage[]> {
    const query = new URLSearchParams();
    if (request.after !== undefined) query.set('after', String(request.after));
    if (request.before !== undefined) query.set('before', String(request.before));
    if (request.limit !== undefined) query.set('limit', String(request.limit));
    const page = await this.#json<{ messages: ChatMessage[] }>(
      `/chat/${encodeURIComponent(roomId)}/messages?${query.toString()}`,
    );
    return page.messages;
  }

  /** Whether the server answers HTTP at all (tells "WebSocket is blocked" from "the server is down"). */
  async reachable(): Promise<boolean> {
    try {
      const answer = await this.#fetch(`${this.baseUrl}/ping`, { headers: this.#headers() });
      return answer.ok;
    } catch {
      return false;
    }
  }

  #headers(): Record<string, string> {
    return this.token === undefined ? {} : { authorization: `Bearer ${this.token}` };
  }

  async #json<T>(path: string, init: RequestInit = {}): Promise<T> {
    let answer: Response;
    try {
      answer = await this.#fetch(`${this.baseUrl}${path}`, { ...init, headers: this.#headers() });
    } catch (error) {
      throw new ApiError(0, 'unreachable', `cannot reach ${this.baseUrl}: ${describe(error)}`);
    }
    const text = await answer.text();
    if (answer.ok) return JSON.parse(text) as T;
    throw errorFrom(answer.status, text);
  }
}

/** The error an answer's body names, or one made from its status when the body is not Parley's. */
export function errorFrom(status: number, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') {
      return new ApiError(status, code, message);
    }
  } catch {
    // not JSON: described by the status below
  }
  return new ApiError(status, `http_${status}`, `the server answered ${status}`);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : error.message;
  }
  return String(error);
}
