import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import type { PostOutcome, RelayedPost, SsePostRelay } from '../sse/sse-post-relay.js';
import { RedisKeys } from '../storage/redis/redis-keys.js';

interface RelayRequest {
  readonly id: number;
  /** The tag of the node waiting for the outcome. */
  readonly from: string;
  readonly post: RelayedPost;
}

interface RelayReply {
  readonly id: number;
  readonly outcome: PostOutcome;
}

/**
 * How long a forwarded post may wait for the stream's node. The node answers once the session
 * took the text in, which waits while the session holds too much unhandled input.
 */
const REPLY_TIMEOUT_MS = 30_000;

/**
 * SSE posts between nodes over Redis Pub/Sub: each node listens on its own request channel and
 * its own reply channel. Requests from one node to another travel on one connection and are
 * served in the order they were published, so one client's posts keep their order. A post for
 * a node no one listens for (it died, or restarted under a new tag) is refused as an unknown
 * session at once.
 */
export class RedisSsePostRelay implements SsePostRelay {
  readonly nodeTag = randomBytes(6).toString('base64url');
  private nextId = 1;
  private readonly waiting = new Map<number, (outcome: PostOutcome) => void>();
  private handle: ((post: RelayedPost) => Promise<PostOutcome>) | undefined;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {}

  async serve(handle: (post: RelayedPost) => Promise<PostOutcome>): Promise<void> {
    this.handle = handle;
    this.subscriber.on('message', this.onMessage);
    await this.subscriber.subscribe(
      RedisKeys.ssePostChannel(this.nodeTag),
      RedisKeys.ssePostReplyChannel(this.nodeTag),
    );
  }

  async forward(nodeTag: string, post: RelayedPost): Promise<PostOutcome> {
    const id = this.nextId++;
    const request: RelayRequest = { id, from: this.nodeTag, post };
    const outcome = new Promise<PostOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(unavailable('the node holding this stream did not answer in time'));
      }, REPLY_TIMEOUT_MS);
      this.waiting.set(id, (answer) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(answer);
      });
    });
    try {
      const listeners = await this.publisher.publish(
        RedisKeys.ssePostChannel(nodeTag),
        JSON.stringify(request),
      );
      if (listeners === 0) this.waiting.get(id)?.(unknownSession());
    } catch (error) {
      this.logger.warn({ err: error }, 'an SSE post could not be handed to its node');
      this.waiting.get(id)?.(unavailable('the post could not reach the node holding its stream'));
    }
    return outcome;
  }

  private readonly onMessage = (channel: string, payload: string): void => {
    if (channel === RedisKeys.ssePostReplyChannel(this.nodeTag)) {
      const reply = JSON.parse(payload) as RelayReply;
      this.waiting.get(reply.id)?.(reply.outcome);
    } else if (channel === RedisKeys.ssePostChannel(this.nodeTag)) {
      void this.answer(JSON.parse(payload) as RelayRequest);
    }
  };

  private async answer(request: RelayRequest): Promise<void> {
    const outcome = this.handle === undefined ? unknownSession() : await this.handle(request.post);
    const reply: RelayReply = { id: request.id, outcome };
    await this.publisher
      .publish(RedisKeys.ssePostReplyChannel(request.from), JSON.stringify(reply))
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'the outcome of a relayed SSE post was not sent back');
      });
  }
}

function unknownSession(): PostOutcome {
  return {
    accepted: false,
    code: 'invalid_session',
    message: 'no open stream of this room has that Parley-Session key',
  };
}

function unavailable(message: string): PostOutcome {
  return { accepted: false, code: 'storage_unavailable', message };
}
