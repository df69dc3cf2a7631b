import { expect } from 'chai';
import { describeStartFailure } from '../../cmd/server/start-failure.js';
import { ListenError } from '../../platform/lifecycle/listen-error.js';

function inUse(listener: string): ListenError {
  const cause: NodeJS.ErrnoException = Object.assign(new Error('listen EADDRINUSE'), {
    code: 'EADDRINUSE',
  });
  return new ListenError(listener, cause);
}

describe('describeStartFailure', () => {
  const config = { host: '127.0.0.1', port: 8080, tcpPort: 4000, chatrmPort: 7777 };

  it('names the option of the listener whose port is taken', () => {
    expect(describeStartFailure(inUse('http'), config)?.message)
      .to.contain('port 8080 (HTTP and WebSocket) is already in use')
      .and.contain('choose another with --port');
    expect(describeStartFailure(inUse('tcp'), config)?.message)
      .to.contain('port 4000 (the telnet/netcat line driver) is already in use')
      .and.contain('--tcp-port 0 to turn the line driver off');
    expect(describeStartFailure(inUse('chatrm'), config)?.message)
      .to.contain('port 7777 (the Chatrm port) is already in use')
      .and.contain('choose another with --chatrm-port, or --chatrm-port 0 to turn it off');
  });
});
