import { expect } from 'chai';
import { isChatError } from '../../business/chat/chat-error.js';
import { COMMANDS, parseInput } from '../../business/chat/command.js';

function refusal(line: string): { code: string; message: string } {
  try {
    parseInput(line);
  } catch (error) {
    if (isChatError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`"${line}" was accepted`);
}

describe('parseInput (chat commands)', () => {
  it('takes a line without a leading / as a message, as sent', () => {
    expect(parseInput('  hello /there')).to.deep.equal({ kind: 'say', text: '  hello /there' });
  });

  it('takes //text as the literal message /text', () => {
    expect(parseInput('//shrug')).to.deep.equal({ kind: 'say', text: '/shrug' });
  });

  it('reads each command, in any case, with its arguments', () => {
    expect(parseInput('/help')).to.deep.equal({ kind: 'help' });
    expect(parseInput('/LIST')).to.deep.equal({ kind: 'list' });
    expect(parseInput('/rooms ')).to.deep.equal({ kind: 'rooms' });
    expect(parseInput('/history')).to.deep.equal({ kind: 'history', count: 15 });
    expect(parseInput('/history  40')).to.deep.equal({ kind: 'history', count: 40 });
    expect(parseInput('/quit')).to.deep.equal({ kind: 'quit', reason: '' });
    expect(parseInput('/quit  gone  fishing ')).to.deep.equal({
      kind: 'quit',
      reason: 'gone  fishing',
    });
  });

  it('reads /msg with or without @, keeping the text as typed', () => {
    expect(parseInput('/msg @Ann  hello  there')).to.deep.equal({
      kind: 'msg',
      to: 'Ann',
      text: ' hello  there',
    });
    expect(parseInput('/msg Bob hi')).to.deep.equal({ kind: 'msg', to: 'Bob', text: 'hi' });
    expect(parseInput('/ignored')).to.deep.equal({ kind: 'ignored' });
    expect(parseInput('/join #Cafe Corner')).to.deep.equal({ kind: 'join', room: 'Cafe Corner' });
    expect(parseInput('/JOIN 2SzErhA2PvYGjf4PQ4pvTh9BfE0')).to.deep.equal({
      kind: 'join',
      room: '2SzErhA2PvYGjf4PQ4pvTh9BfE0',
    });
  });

  it('refuses an unknown command, pointing at /help and //', () => {
    const { code, message } = refusal('/dance wildly');
    expect(code).to.equal('unknown_command');
    expect(message).to.contain('/dance').and.contain('/help').and.contain('//');
    expect(refusal('/').code).to.equal('unknown_command');
  });

  for (const [line, mention] of [
    ['/history ten', 'usage: /history [n]'],
    ['/history 0', 'from 1 to 1000'],
    ['/history 1001', 'from 1 to 1000'],
    ['/history 1 2', 'usage: /history [n]'],
    ['/list everyone', 'usage: /list'],
    ['/msg @Ann', 'usage: /msg @nick text'],
    ['/msg', 'usage: /msg @nick text'],
    ['/ignore', 'usage: /ignore @nick'],
    ['/ignore a b', 'usage: /ignore @nick'],
    ['/nick', 'usage: /nick newname'],
    ['/join', 'usage: /join #room'],
    ['/join #', 'usage: /join #room'],
  ] as const) {
    it(`refuses "${line}" with invalid_command and the right syntax`, () => {
      const { code, message } = refusal(line);
      expect(code).to.equal('invalid_command');
      expect(message).to.contain(mention);
    });
  }

  it('describes every command it reads in the /help catalogue', () => {
    for (const { name } of COMMANDS) {
      const line = ['msg', 'ignore', 'unignore', 'join', 'nick'].includes(name)
        ? `/${name} @Ann hi`
        : `/${name}`;
      if (name === 'nick') {
        expect(parseInput('/nick Zed')).to.deep.equal({ kind: 'nick', name: 'Zed' });
        continue;
      }
      if (name === 'ignore' || name === 'unignore') {
        expect(parseInput(`/${name} @Ann`)).to.deep.equal({ kind: name, nickname: 'Ann' });
        continue;
      }
      expect(() => parseInput(line), line).to.not.throw();
    }
    expect(COMMANDS.map((c) => c.name)).to.deep.equal([
      'help',
      'list',
      'rooms',
      'history',
      'join',
      'nick',
      'msg',
      'ignore',
      'unignore',
      'ignored',
      'quit',
    ]);
  });
});
