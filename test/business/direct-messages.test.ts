import { expect } from 'chai';
import { isChatError } from '../../business/chat/chat-error.js';
import { chatHarness, RecordingOutbox } from './chat-harness.js';

async function refusal(action: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await action;
  } catch (error) {
    if (isChatError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('it was not refused');
}

const privates = (box: RecordingOutbox) => box.trace.filter((line) => line.startsWith('private:'));

describe('Direct messages across the server', () => {
  it('reach someone in another room, echoed to the sender, nobody else seeing them', async () => {
    const { chat, rooms } = chatHarness();
    const [lobby, den] = [await rooms.create('Lobby'), await rooms.create('Den')];
    const [annBox, bobBox, cyBox] = [
      new RecordingOutbox(),
      new RecordingOutbox(),
      new RecordingOutbox(),
    ];
    const ann = await chat.join(lobby.id, 'Ann', annBox);
    await chat.join(den.id, 'Bob', bobBox);
    await chat.join(den.id, 'Cy', cyBox);
    expect(await ann.whisper('bob', 'psst')).to.equal('Bob');
    expect(privates(bobBox)).to.deep.equal(['private:Ann>Bob:psst']);
    expect(privates(annBox)).to.deep.equal(['private:Ann>Bob:psst']);
    expect(privates(cyBox)).to.deep.equal([]);
  });

  it('reach the recipient only, though someone in the sender’s room shares the sender’s nickname elsewhere', async () => {
    const { chat, rooms } = chatHarness();
    const [lobby, den] = [await rooms.create('Lobby'), await rooms.create('Den')];
    const [annBox, otherAnnBox, bobBox] = [
      new RecordingOutbox(),
      new RecordingOutbox(),
      new RecordingOutbox(),
    ];
    const ann = await chat.join(lobby.id, 'Ann', annBox);
    await chat.join(den.id, 'Ann', otherAnnBox); // another Ann, in the recipient's room
    await chat.join(den.id, 'Bob', bobBox);
    await ann.whisper('Bob', 'for Bob only');
    expect(privates(bobBox)).to.deep.equal(['private:Ann>Bob:for Bob only']);
    expect(privates(otherAnnBox)).to.deep.equal([]);
  });

  it('prefer the namesake in the sender’s own room', async () => {
    const { chat, rooms } = chatHarness();
    const [lobby, den] = [await rooms.create('Lobby'), await rooms.create('Den')];
    const [hereBox, thereBox] = [new RecordingOutbox(), new RecordingOutbox()];
    const ann = await chat.join(lobby.id, 'Ann', new RecordingOutbox());
    await chat.join(lobby.id, 'Bob', hereBox);
    await chat.join(den.id, 'Bob', thereBox);
    await ann.whisper('Bob', 'hi');
    expect(privates(hereBox)).to.have.length(1);
    expect(privates(thereBox)).to.deep.equal([]);
  });

  it('refuse a nickname several rooms share, saying how to pick one, and take `#room` to pick it', async () => {
    const { chat, rooms } = chatHarness();
    const [lobby, den, attic] = [
      await rooms.create('Lobby'),
      await rooms.create('Den'),
      await rooms.create('Attic'),
    ];
    const denBob = new RecordingOutbox();
    const ann = await chat.join(lobby.id, 'Ann', new RecordingOutbox());
    await chat.join(den.id, 'Bob', denBob);
    await chat.join(attic.id, 'BOB', new RecordingOutbox());
    const { code, message } = await refusal(ann.whisper('Bob', 'which one?'));
    expect(code).to.equal('ambiguous_participant');
    expect(message).to.contain('#Den').and.contain('#Attic').and.contain('/msg @Bob #');
    await ann.whisper('Bob', '#den the one in the den');
    expect(privates(denBob)).to.deep.equal(['private:Ann>Bob:the one in the den']);
  });

  it('refuse a nickname nobody has anywhere', async () => {
    const { chat, rooms } = chatHarness();
    const ann = await chat.join((await rooms.create('Lobby')).id, 'Ann', new RecordingOutbox());
    expect(await refusal(ann.whisper('Zed', 'hello?'))).to.deep.equal({
      code: 'participant_not_found',
      message: 'nobody called "Zed" is connected',
    });
  });

  describe('a client present for direct messages only', () => {
    it('is reached from any room, and answers; it hears nothing of the rooms and nobody hears of it', async () => {
      const { chat, rooms } = chatHarness();
      const lobby = await rooms.create('Lobby');
      const [zedBox, annBox] = [new RecordingOutbox(), new RecordingOutbox()];
      const zed = await chat.enter({ direct: true }, 'Zed', zedBox);
      const ann = await chat.join(lobby.id, 'Ann', annBox);
      await ann.whisper('Zed', 'are you there?');
      await zed.whisper('Ann', 'yes');
      expect(zedBox.trace).to.deep.equal(['private:Ann>Zed:are you there?', 'private:Zed>Ann:yes']);
      expect(annBox.trace.filter((line) => line.includes('Zed'))).to.deep.equal([
        'private:Ann>Zed:are you there?',
        'private:Zed>Ann:yes',
      ]);
      await zed.leave('quit');
      expect(annBox.trace.filter((line) => line.startsWith('left:'))).to.deep.equal([]);
    });

    it('cannot talk to a room, list one or read its history, and is listed in none', async () => {
      const { chat, rooms } = chatHarness();
      const zed = await chat.enter({ direct: true }, 'Zed', new RecordingOutbox());
      expect((await refusal(zed.say('hello'))).code).to.equal('not_in_room');
      expect((await rooms.list()).total).to.equal(0);
      expect((await refusal(chat.join('_direct', 'Cy', new RecordingOutbox()))).code).to.equal(
        'room_not_found',
      );
    });

    it('holds its nickname among direct-messages clients', async () => {
      const { chat } = chatHarness();
      await chat.enter({ direct: true }, 'Zed', new RecordingOutbox());
      expect(
        (await refusal(chat.enter({ direct: true }, 'zed', new RecordingOutbox()))).code,
      ).to.equal('nickname_taken');
    });
  });
});
