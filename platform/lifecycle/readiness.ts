/** What readiness is made of, each asked when `/readyz` is. */
export interface ReadinessProbes {
  /** Shutdown has begun. */
  shuttingDown(): boolean;
  /** The memory guard refuses new clients (it is shedding). */
  shedding(): boolean;
  /** Storage takes writes (a probe write in the data directory; memory storage always does). */
  storageWritable(): Promise<boolean>;
  /** The event broker is connected (the in-process broker always is). */
  brokerConnected(): boolean;
}

/** Each check by name: true when it passes. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: {
    readonly accepting: boolean;
    readonly memory: boolean;
    readonly storage: boolean;
    readonly broker: boolean;
  };
}

/**
 * Whether this node should be sent new clients: a load balancer or orchestrator takes it out of
 * rotation while it shuts down, sheds, cannot write or has lost its broker, and back when it
 * recovers. (Liveness is separate: a node that is not ready is still alive.)
 */
export async function checkReadiness(probes: ReadinessProbes): Promise<ReadinessReport> {
  const checks = {
    accepting: !probes.shuttingDown(),
    memory: !probes.shedding(),
    storage: await probes.storageWritable(),
    broker: probes.brokerConnected(),
  };
  return { ready: Object.values(checks).every(Boolean), checks };
}
