import type { WireErrorCode } from '../protocol/error-catalogue.js';

/** A post for a stream another node holds, as handed to that node. */
export interface RelayedPost {
  /** The stream's `Parley-Session` key. */
  readonly key: string;
  readonly roomId: string;
  readonly text: string;
  /** The access token's subject, when tokens are on (checked where the post arrived). */
  readonly subject?: string;
}

/** What the node holding the stream made of a post: taken in, or refused with a wire error. */
export type PostOutcome =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly code: WireErrorCode; readonly message: string };

/**
 * Carries SSE posts between nodes. A stream lives on the node that answered its GET, but its
 * POSTs may reach any node (a load balancer without sticky sessions, `--procs` workers sharing
 * one port): a node that does not hold the stream hands the post to the node that does, named
 * by the tag at the head of the session key, and answers the client with that node's outcome.
 */
export interface SsePostRelay {
  /** This node's tag, put at the head of the session keys it hands out. */
  readonly nodeTag: string;
  /** Hands a post to the node tagged `nodeTag`; resolves with its outcome. */
  forward(nodeTag: string, post: RelayedPost): Promise<PostOutcome>;
  /** Serves the posts other nodes hand to this one; resolves once it listens. */
  serve(handle: (post: RelayedPost) => Promise<PostOutcome>): Promise<void>;
}

/** The node tag at the head of a session key (`<tag>.<random>`), if it has one. */
export function nodeTagOf(key: string): string | undefined {
  const dot = key.indexOf('.');
  return dot > 0 ? key.slice(0, dot) : undefined;
}
