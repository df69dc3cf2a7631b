import { expect } from 'chai';
import { encodePantz, goString } from '../../../platform/dialects/pantz-json.js';

// Go's json.Marshal of chattypantz's ChatResponse (composer22/chattypantz@6c94499
// server/chat_response.go); the escapes were observed from the original server
// (/work/notes/seed-clients.md §4.1).
describe('encodePantz', () => {
  it('writes the keys in chattypantz order, the list never null', () => {
    expect(encodePantz({ roomName: '', rspType: 102, content: 'ann', list: [] })).to.equal(
      '{"roomName":"","rspType":102,"content":"ann","list":[]}',
    );
    expect(encodePantz({ roomName: 'R', rspType: 105, content: '', list: ['a', 'b'] })).to.equal(
      '{"roomName":"R","rspType":105,"content":"","list":["a","b"]}',
    );
  });

  it('escapes as Go does: <, >, & and U+2028/2029 as \\u, quotes and backslashes as JSON', () => {
    expect(goString('ann: hello <b>&</b> "q"')).to.equal(
      '"ann: hello \\u003cb\\u003e\\u0026\\u003c/b\\u003e \\"q\\""',
    );
    expect(goString('\u2028\u2029\\')).to.equal('"\\u2028\\u2029\\\\"');
  });

  it('writes control characters as Go before 1.22: \\n, \\r, \\t short, the rest \\u00XX', () => {
    expect(goString('\n\r\t\b\f\u0001')).to.equal('"\\n\\r\\t\\u0008\\u000c\\u0001"');
  });

  it('keeps other characters as they are, and a backslash before b as a backslash', () => {
    expect(goString('é 😀 \\b')).to.equal('"é 😀 \\\\b"');
  });
});
