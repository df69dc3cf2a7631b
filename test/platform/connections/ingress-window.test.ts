import { expect } from 'chai';
import {
  IngressWindow,
  type PausableSource,
} from '../../../platform/connections/ingress-window.js';

/** A source that records every pause and resume, in order. */
class RecordingSource implements PausableSource {
  readonly calls: string[] = [];
  pause(): void {
    this.calls.push('pause');
  }
  resume(): void {
    this.calls.push('resume');
  }
}

describe('IngressWindow', () => {
  const limits = { maxMessages: 4, maxBytes: 1000 };

  it('pauses once at the message limit and resumes once the backlog has halved', () => {
    const source = new RecordingSource();
    const window = new IngressWindow(source, limits);
    for (let i = 0; i < 3; i++) window.admit(10);
    expect(source.calls).to.deep.equal([]);
    window.admit(10);
    window.admit(10); // already paused: not paused again
    expect(source.calls).to.deep.equal(['pause']);
    expect(window.isPaused).to.equal(true);
    window.release(10);
    window.release(10);
    expect(source.calls, 'three still in flight: more than half').to.deep.equal(['pause']);
    window.release(10);
    expect(source.calls).to.deep.equal(['pause', 'resume']);
    expect(window.isPaused).to.equal(false);
    window.release(10);
    window.release(10);
    expect(source.calls, 'not resumed again').to.deep.equal(['pause', 'resume']);
  });

  it('pauses at the byte limit however few messages, and waits for both halves to resume', () => {
    const source = new RecordingSource();
    const window = new IngressWindow(source, limits);
    window.admit(600);
    window.admit(400);
    expect(source.calls).to.deep.equal(['pause']);
    window.release(400);
    expect(source.calls, '600 bytes: more than half the bytes').to.deep.equal(['pause']);
    window.admit(10);
    window.release(600);
    expect(source.calls).to.deep.equal(['pause', 'resume']);
  });

  it('admits one message larger than the byte limit, and resumes once it is handled', () => {
    const source = new RecordingSource();
    const window = new IngressWindow(source, limits);
    window.admit(5000);
    expect(source.calls).to.deep.equal(['pause']);
    window.release(5000);
    expect(source.calls).to.deep.equal(['pause', 'resume']);
  });
});

describe('IngressWindow, waiting for the client to take its output', () => {
  const limits = { maxMessages: 4, maxBytes: 1000 };

  it('pauses while output waits, resumes once it is taken, and blames the client, not the server', () => {
    const source = new RecordingSource();
    const window = new IngressWindow(source, limits);
    window.holdForOutput();
    window.holdForOutput();
    expect(source.calls).to.deep.equal(['pause']);
    expect(window.isWaitingOnServer).to.equal(false);
    window.outputTaken();
    expect(source.calls).to.deep.equal(['pause', 'resume']);
  });

  it('stays paused until both the backlog has halved and the output is taken', () => {
    const source = new RecordingSource();
    const window = new IngressWindow(source, limits);
    for (let i = 0; i < 4; i++) window.admit(10);
    window.holdForOutput();
    expect(window.isWaitingOnServer).to.equal(true);
    for (let i = 0; i < 4; i++) window.release(10);
    expect(source.calls, 'the output is still waiting').to.deep.equal(['pause']);
    window.outputTaken();
    expect(source.calls).to.deep.equal(['pause', 'resume']);
  });
});
