import { expect } from 'chai';
import { SAME_REQUEST_WINDOW_MS, StopRequests } from '../../cmd/server/stop-requests.js';

describe('StopRequests', () => {
  let now: number;
  let requests: StopRequests;
  beforeEach(() => {
    now = 1_000_000;
    requests = new StopRequests(() => now);
  });

  describe('#classify', () => {
    it('takes the first signal as the request to stop', () => {
      expect(requests.classify('SIGTERM')).to.equal('stop');
    });

    it('takes the same signal within the window as a copy of that request', () => {
      requests.classify('SIGINT');
      now += SAME_REQUEST_WINDOW_MS - 1;
      expect(requests.classify('SIGINT')).to.equal('duplicate');
    });

    it('takes the same signal after the window as a request to exit now', () => {
      requests.classify('SIGINT');
      now += SAME_REQUEST_WINDOW_MS;
      expect(requests.classify('SIGINT')).to.equal('force');
    });

    it('takes a different signal, however soon, as a request to exit now', () => {
      requests.classify('SIGTERM');
      expect(requests.classify('SIGINT')).to.equal('force');
    });

    it('measures the window from the first signal, not from its copies', () => {
      requests.classify('SIGINT');
      now += SAME_REQUEST_WINDOW_MS / 2;
      requests.classify('SIGINT');
      now += SAME_REQUEST_WINDOW_MS / 2;
      expect(requests.classify('SIGINT')).to.equal('force');
    });
  });
});
