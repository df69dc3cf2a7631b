import { expect } from 'chai';
import { ClientInputs, type InputOutcome } from '../../business/chat/client-inputs.js';
import type { CommandReply, CommandRunner } from '../../business/chat/command-runner.js';
import type { Membership } from '../../business/chat/membership.js';

/** A runner whose every input finishes when the test says, recording when each started. */
class HeldRunner {
  readonly started: string[] = [];
  private readonly finishers = new Map<string, (fail?: boolean) => void>();

  run(_membership: Membership, line: string): Promise<CommandReply | undefined> {
    this.started.push(line);
    return new Promise((resolve, reject) => {
      this.finishers.set(line, (fail) => (fail ? reject(new Error(line)) : resolve(undefined)));
    });
  }

  finish(line: string, fail = false): void {
    this.finishers.get(line)?.(fail);
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const membership = (): Membership => ({}) as Membership;

describe('ClientInputs', () => {
  function inputs() {
    const runner = new HeldRunner();
    const queue = new ClientInputs(runner as unknown as CommandRunner);
    const settled: string[] = [];
    const submit = (line: string): void =>
      void queue.submit(line, membership, (outcome: InputOutcome) =>
        settled.push(`${line}:${outcome.ok ? 'ok' : 'error'}`),
      );
    return { runner, settled, submit, queue };
  }

  it('hands messages over at once, however many are still being stored', async () => {
    const { runner, submit } = inputs();
    submit('one');
    submit('two');
    submit('three');
    await flush();
    expect(runner.started).to.deep.equal(['one', 'two', 'three']);
  });

  it('starts a command only once everything before it has taken effect', async () => {
    const { runner, submit } = inputs();
    submit('hello');
    submit('/msg @Bob psst');
    await flush();
    expect(runner.started).to.deep.equal(['hello']);
    runner.finish('hello');
    await flush();
    expect(runner.started).to.deep.equal(['hello', '/msg @Bob psst']);
  });

  it('holds a message typed after a command until the command has taken effect', async () => {
    const { runner, submit } = inputs();
    submit('/nick Anna');
    submit('as Anna');
    await flush();
    expect(runner.started).to.deep.equal(['/nick Anna']);
    runner.finish('/nick Anna');
    await flush();
    expect(runner.started).to.deep.equal(['/nick Anna', 'as Anna']);
  });

  it('settles outcomes in input order, even when a later one finishes first', async () => {
    const { runner, settled, submit } = inputs();
    submit('one');
    submit('two');
    await flush();
    runner.finish('two', true);
    await flush();
    expect(settled).to.deep.equal([]);
    runner.finish('one');
    await flush();
    expect(settled).to.deep.equal(['one:ok', 'two:error']);
  });

  it('keeps going after an input whose settle callback throws', async () => {
    const runner = new HeldRunner();
    const queue = new ClientInputs(runner as unknown as CommandRunner);
    const settled: string[] = [];
    void queue.submit('/list', membership, () => {
      throw new Error('a bug in the transport');
    });
    void queue.submit('/help', membership, () => settled.push('/help'));
    await flush();
    runner.finish('/list');
    await flush();
    runner.finish('/help');
    await flush();
    expect(settled).to.deep.equal(['/help']);
  });

  describe('#perform (a dialect’s own requests: chattypantz)', () => {
    it('orders requests with lines under the same rules: a join before a message, a leave after it', async () => {
      const { runner, settled, submit, queue } = inputs();
      const order: string[] = [];
      let finishJoin = (): void => undefined;
      const join = new Promise<string>((resolve) => (finishJoin = () => resolve('joined')));
      const record = (name: string) => (outcome: InputOutcome<string>) =>
        order.push(`${name}:${outcome.ok ? outcome.reply : 'error'}`);
      void queue.perform('command', () => join, record('join'));
      submit('a line');
      void queue.perform('message', () => Promise.resolve('said'), record('say'));
      void queue.perform('command', () => Promise.reject(new Error('x')), record('leave'));
      await flush();
      expect(runner.started, 'the line waits for the join').to.deep.equal([]);
      expect(order).to.deep.equal([]);
      finishJoin();
      await flush();
      expect(runner.started).to.deep.equal(['a line']);
      expect(order).to.deep.equal(['join:joined']);
      runner.finish('a line');
      await flush();
      expect(settled).to.deep.equal(['a line:ok']);
      expect(order).to.deep.equal(['join:joined', 'say:said', 'leave:error']);
    });

    it('starts a message request at once when only messages are ahead of it', async () => {
      const queue = new ClientInputs(new HeldRunner() as unknown as CommandRunner);
      const started: string[] = [];
      const message = (name: string) => () => {
        started.push(name);
        return new Promise<undefined>(() => undefined); // still being stored
      };
      void queue.perform('message', message('one'), () => undefined);
      void queue.perform('message', message('two'), () => undefined);
      void queue.perform('command', message('three'), () => undefined);
      await flush();
      expect(started).to.deep.equal(['one', 'two']);
    });
  });
});
