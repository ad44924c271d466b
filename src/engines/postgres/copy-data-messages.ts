/**
 * A COPY TO STDOUT read as the server's own CopyData messages, for a COPY FROM STDIN of another
 * PostgreSQL server that takes them unchanged (binary passthrough).
 *
 * Why not the COPY data alone: the server sends one CopyData message per row. Taking the data out
 * of each (what pg-copy-streams does) costs a Buffer per row and a copy of every byte, and the
 * writer then wraps it in new messages. The messages a COPY FROM STDIN takes have exactly the same
 * framing (type 'd', length, data), so runs of whole messages are forwarded as slices of the
 * socket's own chunks: the only per-row work is reading a 5-byte header. 1M rows (217 MB) from one
 * server into another: node 590–750 → 390–470 ms of user CPU, on the cores the servers need.
 *
 * No driver import: pg hands the stream over through the submittable interface (`submit`), and
 * postgres-driver.ts is the only file that knows pg.
 */
import { Readable } from 'node:stream';

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'
/** Type byte and length word of every backend message. */
const HEADER = 5;

/** What `cut` found in one chunk of the socket. */
export interface CutChunk {
  /** Slices holding whole CopyData messages only, in order. */
  readonly runs: readonly Buffer[];
  /**
   * The COPY ended in this chunk: 'done' after CopyDone, with the bytes after it; 'error' at an
   * ErrorResponse, with the bytes from it on. Either way `rest` is the driver's to parse.
   */
  readonly end?: { readonly reason: 'done' | 'error'; readonly rest: Buffer };
}

/**
 * Splits the socket's chunks into runs of whole CopyData messages. A message cut by a chunk
 * boundary is held back until it is whole (then copied once into one Buffer), so a run never
 * ends inside a message and a COPY FROM can be failed after any run without confusing its parser.
 * Messages that are neither data nor the end (CopyOutResponse, notices, parameter status,
 * notifications) are dropped, as a COPY's reader must.
 */
export class CopyDataMessageCutter {
  /** An unfinished message's bytes so far (possibly just part of its header). */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** The whole size of the held message, once its header is complete. */
  private heldSize = 0;

  cut(chunk: Buffer): CutChunk {
    const runs: Buffer[] = [];
    let buf = chunk;
    if (this.heldBytes > 0) {
      if (this.heldBytes < HEADER) {
        // Its header is cut: join the few bytes to the chunk and read it from the start.
        buf = Buffer.concat([...this.held, chunk]);
        this.release();
      } else {
        const missing = this.heldSize - this.heldBytes;
        if (chunk.length < missing) {
          this.hold(chunk);
          return { runs };
        }
        const message = Buffer.concat([...this.held, chunk.subarray(0, missing)], this.heldSize);
        this.release();
        const end = this.scan(message, runs);
        if (end) return { runs, end: end.reason === 'done' ? { reason: 'done', rest: chunk.subarray(missing) } : { reason: 'error', rest: Buffer.concat([end.rest, chunk.subarray(missing)]) } };
        buf = chunk.subarray(missing);
      }
    }
    const end = this.scan(buf, runs);
    return end ? { runs, end } : { runs };
  }

  /** Reads whole messages of `buf` into `runs`; holds an unfinished last one. */
  private scan(buf: Buffer, runs: Buffer[]): CutChunk['end'] {
    let at = 0;
    let runStart = 0;
    const closeRun = () => {
      if (at > runStart) runs.push(buf.subarray(runStart, at));
    };
    while (at < buf.length) {
      const type = buf[at]!;
      if (type === ERROR_RESPONSE) {
        // The driver parses the error itself, however much of it has arrived.
        closeRun();
        return { reason: 'error', rest: buf.subarray(at) };
      }
      if (buf.length - at < HEADER) break;
      const size = 1 + buf.readUInt32BE(at + 1);
      if (buf.length - at < size) break;
      if (type === COPY_DATA) {
        at += size;
        continue;
      }
      closeRun();
      at += size;
      runStart = at;
      if (type === COPY_DONE) return { reason: 'done', rest: buf.subarray(at) };
    }
    closeRun();
    if (at < buf.length) this.holdTail(buf.subarray(at));
    return undefined;
  }

  private holdTail(tail: Buffer): void {
    this.hold(tail);
    if (tail.length >= HEADER) this.heldSize = 1 + tail.readUInt32BE(1);
  }

  private hold(piece: Buffer): void {
    this.held.push(piece);
    this.heldBytes += piece.length;
  }

  private release(): void {
    this.held = [];
    this.heldBytes = 0;
    this.heldSize = 0;
  }
}

/** The part of pg's Connection a submittable uses. */
export interface SubmitConnection {
  readonly stream: NodeJS.ReadableStream & { listeners(event: 'data'): Function[] };
  query(text: string): void;
}

type DataListener = (chunk: Buffer) => void;

/**
 * `COPY … TO STDOUT` as a Readable of runs of whole CopyData messages (see the file comment),
 * submitted to pg like a query. Backpressure pauses the socket. The COPY's end (or its error) hands
 * the rest of the socket's bytes back to pg, which then completes the query as usual; an error
 * destroys this stream with pg's error.
 */
export class CopyOutMessages extends Readable {
  /** Rows the server reported (its CommandComplete), once the COPY has ended. */
  rowCount = 0;
  private connection: SubmitConnection | undefined;
  private driverListener: DataListener | undefined;
  private readonly cutter = new CopyDataMessageCutter();
  private socketPaused = false;
  private readonly onData: DataListener = (chunk) => this.consume(chunk);

  constructor(readonly text: string) {
    super();
  }

  submit(connection: SubmitConnection): void {
    this.connection = connection;
    const listeners = connection.stream.listeners('data');
    if (listeners.length !== 1) throw new Error(`bug: expected the driver's one data listener on the socket, found ${listeners.length}`);
    this.driverListener = listeners[0] as DataListener;
    connection.stream.removeListener('data', this.driverListener);
    connection.stream.on('data', this.onData);
    connection.query(this.text);
  }

  override _read(): void {
    if (this.socketPaused && this.connection) {
      this.socketPaused = false;
      this.connection.stream.resume();
    }
  }

  private consume(chunk: Buffer): void {
    const { runs, end } = this.cutter.cut(chunk);
    // Each run goes on as it is: gathering them into bigger pieces (fewer writes on the target's
    // socket) cost as much in copying as it saved in writes.
    let more = true;
    for (const run of runs) more = this.push(run);
    if (end) {
      this.handBack(end.rest);
      if (end.reason === 'done') this.push(null);
      return;
    }
    if (!more && this.connection) {
      this.socketPaused = true;
      this.connection.stream.pause();
    }
  }

  /** Gives the socket back to pg with the bytes that follow the COPY's data. */
  private handBack(rest: Buffer): void {
    const connection = this.connection!;
    const driverListener = this.driverListener!;
    connection.stream.removeListener('data', this.onData);
    connection.stream.on('data', driverListener);
    if (rest.length > 0) driverListener(rest);
    if (this.socketPaused) {
      this.socketPaused = false;
      connection.stream.resume();
    }
  }

  handleError(err: Error): void {
    this.destroy(err);
  }

  handleCommandComplete(message: { readonly text?: string } | undefined): void {
    const match = /COPY (\d+)/.exec(message?.text ?? '');
    if (match) this.rowCount = Number(match[1]);
  }

  handleReadyForQuery(): void {}
}
