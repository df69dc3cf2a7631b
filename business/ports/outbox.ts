import type { MemberEvent } from '../chat/room-event.js';

/**
 * The transport side of one member: where its events go. Each transport (WebSocket, TCP)
 * implements it for its connections; the domain never knows which.
 */
export interface Outbox {
  /**
   * Hands one event to the connection. Must not block, wait or throw: a transport that cannot
   * keep up applies its own policy (for example, disconnecting a slow consumer). The same
   * event object is handed to every member of a room, so an implementation may encode it once
   * and reuse the encoding for every recipient.
   */
  deliver(event: MemberEvent): void;
  /**
   * The address the connection comes from, as the platform knows it, for limits per address
   * (rooms created); absent when there is none to limit.
   */
  readonly peerAddress?: string;

  /**
   * Whether this member may enter the room (an access token's `rooms` claim); absent: any room.
   * Asked before a room is entered and, for a room asked for by a name no room has, before it
   * is created (with an empty id).
   */
  mayEnter?(room: { readonly id: string; readonly name: string }): boolean;
}
