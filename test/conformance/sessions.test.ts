import { pantzDriver } from './pantz-driver.js';
import { sessionConformance } from './session.conformance.js';
import { sseDriver } from './sse-driver.js';
import { tcpDriver } from './tcp-driver.js';
import { wsDriver } from './ws-driver.js';
import { wsLinesDriver } from './ws-lines-driver.js';

for (const driver of [wsDriver, tcpDriver, sseDriver, wsLinesDriver, pantzDriver]) {
  sessionConformance(driver);
}
