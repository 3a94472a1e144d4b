/**
 * Line-by-line reading of a connection for the text protocols that greet first (ssh, smtp).
 * Bounded: a line longer than MAX_LINE_BYTES fails the read, and the attempt's abort signal
 * destroys the socket, so no peer can hold an attempt past its timeout.
 */
import type { Duplex } from "node:stream";

/** Longer than any SSH identification (255) or SMTP reply line (512, RFC 5321). */
const MAX_LINE_BYTES = 4096;

export class LineReader {
  private pending = "";
  private readonly lines: string[] = [];
  private failure?: Error;
  private wake?: () => void;

  constructor(private readonly socket: Duplex, private readonly signal: AbortSignal) {
    socket.on("data", this.onData);
    socket.on("error", this.onEnd);
    socket.once("close", this.onEnd);
    if (signal.aborted) this.onAbort();
    else signal.addEventListener("abort", this.onAbort, { once: true });
  }

  /** The next line without its CR LF; rejects when the peer hangs up, fails, or time runs out. */
  async next(): Promise<string> {
    while (this.lines.length === 0) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return this.lines.shift()!;
  }

  /** Stops reading (before the socket is handed to TLS); returns nothing buffered. */
  detach(): void {
    this.socket.off("data", this.onData);
    this.socket.off("error", this.onEnd);
    this.socket.off("close", this.onEnd);
    this.signal.removeEventListener("abort", this.onAbort);
  }

  private readonly onData = (chunk: Buffer): void => {
    const parts = (this.pending + chunk.toString("latin1")).split("\n");
    this.pending = parts.pop()!;
    this.lines.push(...parts.map((line) => line.replace(/\r$/, "")));
    if (this.pending.length > MAX_LINE_BYTES) {
      this.socket.destroy(new Error(`line longer than ${MAX_LINE_BYTES} bytes`));
    }
    this.wake?.();
  };

  private readonly onEnd = (e?: Error | boolean): void => {
    this.failure ??= e instanceof Error ? e : new Error("EOF");
    this.wake?.();
  };

  private readonly onAbort = (): void => {
    this.socket.destroy(Object.assign(new Error("i/o timeout"), { code: "ETIMEDOUT" }));
  };
}
