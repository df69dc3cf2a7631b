/**
 * Thrown by a store given a room id outside the rule every store keeps (`isStorableRoomId`):
 * a programming error, since room ids come from the IdGenerator, not from clients.
 */
export class UnstorableRoomIdError extends Error {
  override readonly name = 'UnstorableRoomIdError';

  constructor(roomId: string) {
    super(`room id ${JSON.stringify(roomId)} is not storable`);
  }
}
