import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging/logger.js';

/** How long a command may wait for Redis before it fails (then the caller is told at once). */
const COMMAND_TIMEOUT_MS = 2000;
/** Reconnection backoff: 50 ms doubling, capped at 2 s, for ever. */
const backoff = (attempt: number): number => Math.min(50 * 2 ** Math.min(attempt, 6), 2000);

/**
 * A node's three connections to Redis, each with the failure behaviour its job needs:
 *
 * - `commands` (storage and presence) fails fast while Redis is away: no offline queue, a
 *   command timeout, so a message sent meanwhile is refused (`storage_unavailable`) instead of
 *   waiting or vanishing;
 * - `publisher` (fan-out) queues while Redis is away and sends in order once back, so an event
 *   whose cause was already stored (a leave, a message stored just before the outage) is not lost;
 * - `subscriber` is in subscriber mode and resubscribes by itself after a reconnection.
 *
 * All three reconnect with backoff for ever; `connected` says whether all three are up now.
 */
export class RedisConnections {
  private constructor(
    readonly commands: Redis,
    readonly publisher: Redis,
    readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {}

  /**
   * Connects the three, resolving once each is ready. Rejects (closing them) when Redis cannot
   * be reached within `connectTimeoutMs`: a node does not start without its Redis.
   */
  static async open(
    url: string,
    logger: Logger,
    connectTimeoutMs = 10_000,
  ): Promise<RedisConnections> {
    const common: RedisOptions = {
      lazyConnect: true,
      retryStrategy: backoff,
      connectionName: 'parley',
    };
    const commands = new Redis(url, {
      ...common,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    const publisher = new Redis(url, { ...common, maxRetriesPerRequest: null });
    const subscriber = new Redis(url, {
      ...common,
      maxRetriesPerRequest: null,
      autoResubscribe: true,
    });
    const connections = new RedisConnections(commands, publisher, subscriber, logger);
    let first: Error | undefined;
    const remember = (error: Error): void => void (first ??= error);
    for (const client of [commands, publisher, subscriber]) client.on('error', remember);
    try {
      await withTimeout(
        Promise.all([commands.connect(), publisher.connect(), subscriber.connect()]),
        connectTimeoutMs,
        'no answer',
      );
    } catch (error) {
      connections.disconnect();
      const cause = first ?? (error instanceof Error ? error : undefined);
      throw new RedisUnreachableError(redactedUrl(url), cause);
    }
    for (const client of [commands, publisher, subscriber]) client.off('error', remember);
    connections.watch();
    return connections;
  }

  /** True while all three connections are ready. */
  connected(): boolean {
    return [this.commands, this.publisher, this.subscriber].every((c) => c.status === 'ready');
  }

  /** Sends what is queued, then closes the three connections. */
  async close(): Promise<void> {
    await Promise.all(
      [this.commands, this.publisher, this.subscriber].map((client) =>
        withTimeout(client.quit(), 1000, 'quit').catch(() => client.disconnect()),
      ),
    );
  }

  /** Closes the three at once, dropping what is queued. */
  disconnect(): void {
    for (const client of [this.commands, this.publisher, this.subscriber]) client.disconnect();
  }

  // One warning when a connection is lost, one line when it is back: not one per retry.
  private watch(): void {
    const names = ['commands', 'publisher', 'subscriber'] as const;
    for (const name of names) {
      const client = this[name];
      let lost = false;
      client.on('error', (error: Error) => {
        if (lost) return;
        lost = true;
        this.logger.warn({ err: error, connection: name }, 'Redis connection lost; reconnecting');
      });
      client.on('ready', () => {
        if (!lost) return;
        lost = false;
        this.logger.info({ connection: name }, 'Redis connection back');
      });
      client.on('close', () => (lost = true));
    }
  }
}

/** Redis did not answer when the node started: a node does not start without its Redis. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';

  constructor(
    readonly url: string,
    cause: Error | undefined,
  ) {
    super(
      `could not connect to Redis at ${url} (${cause?.message ?? 'no answer'}): start Redis, or give --redis-url`,
      { cause },
    );
  }
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable Redis URL)';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
