import { expect } from 'chai';
import { isChatError } from '../../business/chat/chat-error.js';
import { CREATION_WINDOW_MS, RoomCreationRate } from '../../business/chat/room-creation-rate.js';

describe('RoomCreationRate (rooms per peer address per minute)', () => {
  function limit(perMinute: number) {
    let now = 0;
    const rate = new RoomCreationRate(perMinute, () => now);
    const create = (address: string | undefined): string => {
      try {
        rate.check(address);
      } catch (error) {
        if (isChatError(error, 'too_many_rooms_created')) return 'refused';
        throw error;
      }
      rate.created(address);
      return 'created';
    };
    return { create, advance: (ms: number) => (now += ms) };
  }

  it('takes perMinute creations from one address in a sliding minute, others unaffected', () => {
    const { create, advance } = limit(2);
    expect(create('10.0.0.1')).to.equal('created');
    advance(30_000);
    expect(create('10.0.0.1')).to.equal('created');
    expect(create('10.0.0.1')).to.equal('refused');
    expect(create('10.0.0.2'), 'another address').to.equal('created');
    advance(CREATION_WINDOW_MS - 30_000); // the first creation is a minute old
    expect(create('10.0.0.1')).to.equal('created');
    expect(create('10.0.0.1')).to.equal('refused');
  });

  it('does not limit creations with no address, nor anything at 0 per minute', () => {
    const { create } = limit(1);
    for (let i = 0; i < 5; i++) expect(create(undefined)).to.equal('created');
    const off = limit(0);
    for (let i = 0; i < 5; i++) expect(off.create('10.0.0.1')).to.equal('created');
  });
});
