import { expect } from 'chai';
import { decodePantzRequest } from '../../../platform/dialects/pantz-request.js';

// As Go's encoding/json decodes into chattypantz's ChatRequest
// (composer22/chattypantz@6c94499 server/chat_request.go).
describe('decodePantzRequest', () => {
  const ok = (text: string) => {
    const decoded = decodePantzRequest(text);
    expect(decoded.ok, text).to.equal(true);
    return decoded.ok ? decoded.request : undefined;
  };
  const refused = (text: string) => {
    const decoded = decodePantzRequest(text);
    return decoded.ok ? undefined : decoded.problem;
  };

  it('reads the three fields, matching keys without regard to ASCII case (the pages send reqtype)', () => {
    expect(ok('{"roomName":"Demo","reqtype":104,"content":"Demo"}')).to.deep.equal({
      roomName: 'Demo',
      reqType: 104,
      content: 'Demo',
    });
    expect(ok('{"ROOMNAME":"A","ReqType":108,"CONTENT":"x"}')).to.deep.equal({
      roomName: 'A',
      reqType: 108,
      content: 'x',
    });
  });

  it('defaults missing fields and nulls, and ignores unknown keys', () => {
    expect(ok('{"reqType":102}')).to.deep.equal({ roomName: '', reqType: 102, content: '' });
    expect(ok('{"roomName":null,"reqType":null,"x":{"reqType":1.5}}')).to.deep.equal({
      roomName: '',
      reqType: 0,
      content: '',
    });
    expect(ok('null')).to.deep.equal({ roomName: '', reqType: 0, content: '' });
  });

  it('takes the last of keys that match alike', () => {
    expect(ok('{"reqtype":101,"reqType":102}')?.reqType).to.equal(102);
  });

  it('refuses what is not JSON as invalid_json', () => {
    expect(refused('Hello, world!')).to.equal('invalid_json');
    expect(refused('{"reqType":101')).to.equal('invalid_json');
    expect(refused('')).to.equal('invalid_json');
  });

  it('refuses a reqType that is not an integer as Go does, and fields of the wrong type', () => {
    for (const text of [
      '{"reqType":101.0}',
      '{"reqType":1e2}',
      '{"reqType":"101"}',
      '{"reqType":true}',
      '{"roomName":5,"reqType":101}',
      '{"content":["x"],"reqType":101}',
      '[1]',
      '"text"',
      '101',
    ])
      expect(refused(text), text).to.equal('invalid_request');
  });

  it('is not fooled by a value spelt like a key', () => {
    expect(ok('{"content":"reqType","roomName":"1.5","reqType":7}')?.reqType).to.equal(7);
  });
});
