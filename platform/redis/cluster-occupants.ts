import type { Redis } from 'ioredis';
import type { Occupants } from '../../business/ports/occupants.js';
import type { PresenceRegistry } from '../../business/ports/presence-registry.js';
import type { Logger } from '../logging/logger.js';
import { RedisKeys } from '../storage/redis/redis-keys.js';

/** An operator's action, as sent to the other nodes. */
type ControlMessage = { readonly node: string } & (
  | { readonly action: 'announce'; readonly text: string; readonly at: number }
  | { readonly action: 'close_room'; readonly roomId: string; readonly at: number }
  | {
      readonly action: 'kick';
      readonly roomId: string;
      readonly participant: string;
      readonly reason: string;
    }
);

/**
 * The clients of every node sharing a Redis, as the operator's use cases see them: each action
 * is done on this node's sessions and sent to the other nodes on one control channel, where
 * each does it on its own. Counts (announcement recipients, participants of a closed room) are
 * this node's: the others answer nobody. A kick is true when the participant is here, or is
 * present in the room on another node (presence in Redis says so), which is then told to kick.
 */
export class ClusterOccupants implements Occupants {
  constructor(
    private readonly local: Occupants,
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly presence: PresenceRegistry,
    private readonly nodeId: string,
    private readonly logger: Logger,
  ) {}

  /** Listens to the other nodes' actions; resolves once subscribed. */
  async start(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    await this.subscriber.subscribe(RedisKeys.controlChannel);
  }

  announce(text: string, at: number): number {
    this.send({ node: this.nodeId, action: 'announce', text, at });
    return this.local.announce(text, at);
  }

  closeRoom(roomId: string, at: number): number {
    this.send({ node: this.nodeId, action: 'close_room', roomId, at });
    return this.local.closeRoom(roomId, at);
  }

  async kick(roomId: string, participant: string, reason: string): Promise<boolean> {
    if (await this.local.kick(roomId, participant, reason)) return true;
    const present = await this.presence.list(roomId);
    if (!present.some(({ name }) => name === participant)) return false;
    this.send({ node: this.nodeId, action: 'kick', roomId, participant, reason });
    return true;
  }

  private send(message: ControlMessage): void {
    this.publisher.publish(RedisKeys.controlChannel, JSON.stringify(message)).catch((error) => {
      this.logger.warn({ err: error, action: message.action }, 'an operator action was not sent');
    });
  }

  private readonly onMessage = (channel: string, payload: string): void => {
    if (channel !== RedisKeys.controlChannel) return;
    const message = JSON.parse(payload) as ControlMessage;
    if (message.node === this.nodeId) return;
    if (message.action === 'announce') this.local.announce(message.text, message.at);
    else if (message.action === 'close_room') this.local.closeRoom(message.roomId, message.at);
    else void this.local.kick(message.roomId, message.participant, message.reason);
  };
}
