/**
 * The clients connected to this server, whatever their transport and dialect: what an operator
 * acts on. Every method is synchronous and never throws: it only queues bytes for clients and
 * begins closing connections, each client's send bound applying as to everything else.
 */
export interface Occupants {
  /**
   * Shows every connected client a notice from the operator; returns how many were sent it (a
   * client whose dialect can show nothing but direct messages is not counted).
   */
  announce(text: string, at: number): number;

  /**
   * Tells every client in the room that it was closed and disconnects each one (the room sees
   * them leave with reason `room_closed`); returns how many were in it on this server.
   */
  closeRoom(roomId: string, at: number): number;

  /**
   * Disconnects the room's participant whose nickname is exactly `participant`, telling it
   * why (the room sees it leave with reason `kicked`); false when nobody in the room has it.
   * May resolve later when the participant may be connected to another node (several nodes).
   */
  kick(roomId: string, participant: string, reason: string): boolean | Promise<boolean>;
}
