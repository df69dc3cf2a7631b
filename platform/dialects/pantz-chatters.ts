/** One chattypantz connection's figures, as its `/v1.0/stats` lists them. */
export interface PantzChatter {
  readonly nickname: string;
  readonly remoteAddr: string;
  readonly start: number;
  /** Epoch ms of the last request and the last answer; 0 while there has been none. */
  readonly lastReq: number;
  readonly lastRsp: number;
  readonly reqCount: number;
  readonly rspCount: number;
}

/** A live connection's figures, kept by its dialogue. */
export class PantzChatterFigures implements PantzChatter {
  nickname = '';
  lastReq = 0;
  lastRsp = 0;
  reqCount = 0;
  rspCount = 0;
  readonly start = Date.now();

  constructor(readonly remoteAddr: string) {}

  requested(): void {
    this.reqCount++;
    this.lastReq = Date.now();
  }

  answered(): void {
    this.rspCount++;
    this.lastRsp = Date.now();
  }
}

/**
 * The chattypantz connections open now, and how many there have been: what `/v1.0/stats`
 * reports (its `chatterStats` and the `/v1.0/chat` route count).
 */
export class PantzChatters {
  private readonly live = new Set<PantzChatterFigures>();
  private opened = 0;

  /** Counts a new connection and lists it until `closed`. */
  open(remoteAddr: string): PantzChatterFigures {
    const figures = new PantzChatterFigures(remoteAddr);
    this.live.add(figures);
    this.opened++;
    return figures;
  }

  closed(figures: PantzChatterFigures): void {
    this.live.delete(figures);
  }

  /** Connections made since the server started. */
  get connections(): number {
    return this.opened;
  }

  list(): PantzChatter[] {
    return [...this.live];
  }
}
