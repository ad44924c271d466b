/**
 * Copies one table mapping: plans key-range chunks (kept in the control schema so a resumed run
 * uses the same ones), then each pending chunk in one target transaction together with its rejects
 * and its checkpoint. A chunk the target refuses is redone in careful mode: small batches under
 * savepoints, a refused one written again a few rows at a time down to the single rows that fail,
 * which go to the rejects table — a bad row never costs its batch.
 */
import type { TableMapping } from '../check/checked-plan.js';
import { sourceTableName } from '../check/checked-plan.js';
import { EngineError, type EngineConnection, type RawTextRows, type RawTextSource, type ReadRequest, type SourceSnapshot, type TargetTransaction } from '../engines/contract.js';
import type { Row } from '../types/logical.js';
import { normaliserFor, RowChecksum } from './checksum.js';
import type { ChunkRecord, ControlSchema, RejectRecord } from './control-schema.js';
import type { EventSink } from './events.js';
import { findEngine } from '../engines/registry.js';
import { compileRawTextProgram, type RawTextProgram } from './raw-text-program.js';
import { describeSourceRow, isRejection, type RowProgram, type RowRejection } from './row-program.js';
import { isTransient } from './transient-retry.js';
import { TableProgress, zeroCounts, type Counts } from './table-progress.js';
import { groupThousands } from '../number-text.js';
import { RejectBuffer } from './reject-buffer.js';
import { RefusalReader } from './refused-row.js';
import { BinaryCopyRowEstimate } from './copy-row-estimate.js';

export interface CopyContext {
  readonly table: TableMapping;
  readonly stepFingerprint: string;
  readonly program: RowProgram;
  readonly snapshot: SourceSnapshot;
  readonly lane: number;
  readonly target: EngineConnection;
  readonly control: ControlSchema;
  readonly runId: string;
  readonly emit: EventSink;
  readonly now: () => string;
  /** Stops between batches when set (Ctrl-C): the open chunk rolls back. */
  readonly cancelled: () => boolean;
  readonly batchRows: number;
  /**
   * Same SQL family on both sides and every column copied unchanged: the rows travel as the
   * engines' own binary COPY stream, never decoded (PostgreSQL → PostgreSQL). A chunk the target
   * refuses is redone decoded, in careful mode.
   */
  readonly passthrough: boolean;
  /**
   * The plan chose raw rows (check/copy-path.ts): the source's protocol bytes are moved into the
   * target's bulk load, decoded only where a column converts (MySQL → PostgreSQL).
   */
  readonly rawRows: boolean;
  /** Checksums of the written rows are needed only by `validate = checksums`; they cost a hash per value. */
  readonly checksums: boolean;
  /**
   * Up to this many chunks of the table are copied at once, each on its own source lane and target
   * connection, when `moreLanes` can spare lanes: one stream leaves cores idle while one side
   * parses and the other waits.
   */
  readonly parallel: number;
  /** Takes up to `max` free lanes of the source's snapshot without waiting (possibly none). */
  readonly moreLanes: (max: number) => readonly number[];
  readonly releaseLanes: (lanes: readonly number[]) => void;
}

export interface CopyResult {
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly chunks: readonly ChunkRecord[];
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * A chunk that failed after its retries: the database's error (same kind, code and endpoint) with
 * the chunk and its key range in front, so every view says where the copy stopped.
 */
export class ChunkFailedError extends EngineError {
  constructor(
    cause: EngineError,
    /** From 0, as in chunk_finish events. */
    readonly chunk: number,
    readonly chunks: number,
    range: string,
  ) {
    super(`chunk ${chunk + 1} of ${chunks}${range}: ${cause.message}`, cause.kind, cause.dbCode, cause.endpoint);
  }
}

/** ` (id in (20000, 40000])` for a ranged chunk, '' for a table copied whole. */
function chunkRange(ctx: CopyContext, chunk: ChunkRecord): string {
  if (!ctx.table.chunk.by || (chunk.lower === undefined && chunk.upper === undefined)) return '';
  return ` (${ctx.table.chunk.by} in (${chunk.lower ?? '-∞'}, ${chunk.upper ?? '∞'}])`;
}

const CAREFUL_BATCH = 256;
const TRANSIENT_RETRIES = 4;

export async function copyTable(ctx: CopyContext): Promise<CopyResult> {
  const records = await ensureChunks(ctx);
  // Adjustments made after an earlier copy finished count in the totals, but are not chunks to copy.
  const chunks = records.filter((c) => c.chunkNo >= 0);
  const rawText = rawTextProgramFor(ctx);
  const already = zeroCounts();
  for (const c of records) if (c.done) {
    already.written += c.rowsWritten;
    already.rejected += c.rowsRejected;
    already.read += c.rowsWritten + c.rowsRejected;
  }
  const progress = new TableProgress(already, (t) =>
    ctx.emit({ type: 'table_progress', table: ctx.table.id, rowsRead: t.read, rowsWritten: t.written, rowsRejected: t.rejected, bytes: t.bytes, estimate: ctx.table.source.rowEstimate, ...(t.streaming > 0 ? { rowsStreaming: t.streaming } : {}) }),
  );
  const pending = chunks.filter((c) => !c.done);
  if (pending.length > 0 && pending.length < chunks.length) {
    // Chunks copied at once finish out of order: the first one still to do is not always the next.
    const done = chunks.length - pending.length;
    ctx.emit({ type: 'log', level: 'info', message: `${ctx.table.id}: resuming at chunk ${pending[0]!.chunkNo + 1} of ${chunks.length} (${done} done, ${groupThousands(already.written)} rows already loaded)` });
  }
  const copyOne = async (chunk: ChunkRecord, lane: number): Promise<void> => {
    await withTransientRetry(ctx, () => {
      // A retried chunk starts again from zero rows: the rolled-back attempt's rows no longer count.
      const run: ChunkRun = { ctx, chunk, chunkCount: chunks.length, lane, counts: progress.start(chunk.chunkNo), report: () => progress.report() };
      return copyChunk(run, rawText);
    }).catch((err: unknown) => {
      progress.forget(chunk.chunkNo);
      throw err instanceof EngineError ? new ChunkFailedError(err, chunk.chunkNo, chunks.length, chunkRange(ctx, chunk)) : err;
    });
    progress.finish(chunk.chunkNo);
  };
  const extra = pending.length > 1 ? ctx.moreLanes(Math.min(ctx.parallel, pending.length) - 1) : [];
  try {
    await inLanes(pending, [ctx.lane, ...extra], copyOne);
  } finally {
    ctx.releaseLanes(extra);
  }
  // The final totals, once every chunk is in: a chunk retried after the target refused a row
  // reported along the way only what it had counted when the last report went out.
  progress.report();
  const t = progress.totals();
  return { rowsRead: t.read, rowsWritten: t.written, rowsRejected: t.rejected, chunks: await ctx.control.chunks(ctx.target, ctx.stepFingerprint) };
}

/**
 * Works through `items` in order, one at a time per lane. After a failure no new item starts; the
 * ones under way finish (their connections must be free again) and the first failure is thrown.
 */
async function inLanes<T>(items: readonly T[], lanes: readonly number[], work: (item: T, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  await Promise.all(
    lanes.map(async (lane) => {
      while (!failure && next < items.length) {
        const item = items[next++]!;
        try {
          await work(item, lane);
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw failure.error;
}

async function ensureChunks(ctx: CopyContext): Promise<readonly ChunkRecord[]> {
  const existing = await ctx.control.chunks(ctx.target, ctx.stepFingerprint);
  // A resumed copy keeps its ranges: its finished chunks hold exactly those rows. While none has
  // finished nothing is loaded, so the ranges are planned again from the plan as it is now — a
  // chunk that failed (a careful mode that ran out of lock space, say) is split as `chunk rows`
  // now says, not as the first attempt did.
  if (existing.some((c) => c.done)) return existing;
  if (existing.length) await ctx.control.forgetUnstartedChunks(ctx.target, ctx.stepFingerprint);
  const { table } = ctx;
  const ranges: { lower: string | undefined; upper: string | undefined }[] = [];
  const by = table.chunk.by ? ctx.program.read.find((c) => c.name === table.chunk.by) : undefined;
  const parts = Math.ceil(table.source.rowEstimate / table.chunk.rows);
  if (by && parts > 1) {
    const points = await ctx.snapshot.splitPoints({ schema: table.source.schema, name: table.source.table }, by, table.where, parts, ctx.lane);
    let lower: string | undefined;
    for (const p of points) {
      ranges.push({ lower, upper: p });
      lower = p;
    }
    ranges.push({ lower, upper: undefined });
  } else ranges.push({ lower: undefined, upper: undefined });
  await ctx.control.planChunks(ctx.target, ctx.stepFingerprint, ranges);
  return ctx.control.chunks(ctx.target, ctx.stepFingerprint);
}

function readRequest(ctx: CopyContext, chunk: ChunkRecord): ReadRequest {
  const { table } = ctx;
  const by = table.chunk.by ? ctx.program.read.find((c) => c.name === table.chunk.by) : undefined;
  const ranged = by && (chunk.lower !== undefined || chunk.upper !== undefined);
  return {
    table: { schema: table.source.schema, name: table.source.table },
    columns: ctx.program.read,
    where: table.where,
    range: ranged ? { column: by, after: chunk.lower, upTo: chunk.upper } : undefined,
    // No ORDER BY: a sort (or an index walk) costs the source and nothing here needs the order.
    orderBy: [],
    batchRows: ctx.batchRows,
  };
}

/** One attempt at one chunk: its lane, and its own counts (the table's progress sums them). */
interface ChunkRun {
  readonly ctx: CopyContext;
  readonly chunk: ChunkRecord;
  readonly chunkCount: number;
  readonly lane: number;
  readonly counts: Counts;
  readonly report: () => void;
}

/** After a batch: rows read so far in the chunk, of which `rejected` were rejected. */
function counted(run: ChunkRun, read: number, rejected: number): void {
  run.counts.read = read;
  run.counts.written = read - rejected;
  run.counts.rejected = rejected;
  run.report();
}

interface ChunkOutcome {
  readonly read: number;
  readonly written: number;
  readonly rejected: number;
}

/**
 * Rows read as the source's wire text and written as the target's bulk bytes, where the plan chose
 * it (MySQL → PostgreSQL).
 */
function rawTextProgramFor(ctx: CopyContext): RawPrograms | undefined {
  if (!ctx.rawRows) return undefined;
  if (!ctx.snapshot.rawText || !ctx.target.rawTextWriter) throw new Error(`bug: raw rows planned for ${ctx.table.id} but the source or target cannot move them`);
  const limits = findEngine(ctx.target.engine)?.capabilities.valueLimits;
  const text = compileRawTextProgram(ctx.table, ctx.program, ctx.snapshot.rawText, limits);
  if (!text) throw new Error(`bug: raw rows planned for ${ctx.table.id}, whose columns they cannot carry`);
  const large = ctx.table.source.rowEstimate >= BINARY_PROTOCOL_MIN_ROWS;
  return { text, binary: large ? compileRawTextProgram(ctx.table, ctx.program, ctx.snapshot.rawText, limits, 'binary') : undefined };
}

/**
 * The binary protocol costs a round trip per chunk (the statement is prepared first) and saves
 * ~0.7 µs of CPU per row (docs/performance.md): a small table, of which there may be hundreds
 * behind a slow network, reads as text. Tables whose size the catalog does not know (0) as well.
 */
const BINARY_PROTOCOL_MIN_ROWS = 20_000;

/**
 * A table's raw programs: for rows in the source's text protocol, and for rows in its binary
 * protocol where the source can read the table's columns so (taken when the chunk's writer can lay
 * out binary-protocol fields).
 */
interface RawPrograms {
  readonly text: RawTextProgram;
  readonly binary: RawTextProgram | undefined;
}

async function copyChunk(run: ChunkRun, rawText: RawPrograms | undefined): Promise<ChunkOutcome> {
  const { ctx } = run;
  try {
    return await copyChunkOnce(run, rawText);
  } catch (err) {
    // A stop thrown from inside the rows the target's writer consumes comes back wrapped in the
    // writer's own error ("write failed on …: cancelled"): it is still a stop, not a failed step.
    if (ctx.cancelled() && !(err instanceof CancelledError)) throw new CancelledError();
    throw err;
  }
}

async function copyChunkOnce(run: ChunkRun, rawText: RawPrograms | undefined): Promise<ChunkOutcome> {
  const { ctx, chunk } = run;
  try {
    if (ctx.passthrough && ctx.snapshot.copyOut && (await passThroughNow(ctx))) return await copyChunkRaw(run);
    if (rawText && ctx.snapshot.rawText) return await copyChunkRawTextOrText(run, rawText, ctx.snapshot.rawText);
    return await copyChunkFast(run);
  } catch (err) {
    if (err instanceof EngineError && err.kind === 'data') {
      Object.assign(run.counts, zeroCounts()); // the fast attempt rolled back: careful mode counts from the chunk's start
      ctx.emit({ type: 'log', level: 'warn', message: `${ctx.table.id}: chunk ${chunk.chunkNo + 1} refused by the target (${err.message}); redoing it in careful mode (batches of ${CAREFUL_BATCH} rows; a refused batch's rows go again a few at a time until the refused ones stand alone) to set the refused rows aside` });
      return copyChunkCareful(run);
    }
    throw err;
  }
}

/**
 * The plan chose the passthrough from the planned types; the table as it stands must have them too
 * (a table kept by `prepare = do_nothing` may not): otherwise rows take the decoded path, and the
 * target reads their text by its own types.
 */
function passThroughNow(ctx: CopyContext): Promise<boolean> {
  let answer = passThroughAnswers.get(ctx);
  if (!answer) {
    answer = askBinaryCompatible(ctx);
    passThroughAnswers.set(ctx, answer);
  }
  return answer;
}

/** Asked once per table copy: its chunks (and their retries) all take the same path. */
const passThroughAnswers = new WeakMap<CopyContext, Promise<boolean>>();

async function askBinaryCompatible(ctx: CopyContext): Promise<boolean> {
  const { table, program } = ctx;
  if (!ctx.target.binaryCompatible) return false;
  const compatible = await ctx.target.binaryCompatible({ schema: table.target.schema, name: table.target.table }, program.write);
  if (!compatible) ctx.emit({ type: 'log', level: 'info', message: `${table.id}: the target table's column types differ from the plan's, so its rows are converted rather than passed through as binary` });
  return compatible;
}

/** The normal path: the whole chunk streamed in one bulk write, checkpointed in the same transaction. */
async function copyChunkFast(run: ChunkRun): Promise<ChunkOutcome> {
  const { ctx, chunk, chunkCount } = run;
  const checksum = ctx.checksums ? new RowChecksum(ctx.program.write.map((w) => normaliserFor(w.logical))) : undefined;
  let read = 0;
  const rejects = new RejectBuffer();
  const { table, program } = ctx;
  async function* converted(): AsyncGenerator<readonly Row[]> {
    for await (const batch of fromSource(ctx, ctx.snapshot.read(readRequest(ctx, chunk), run.lane))) {
      if (ctx.cancelled()) throw new CancelledError();
      const out: Row[] = [];
      for (const row of batch) {
        const r = program.run(row);
        if (isRejection(r)) rejects.push(rejectRecord(ctx, chunk, describeSourceRow(row, program), r.column, r.value, r.reason));
        else {
          out.push(r);
          checksum?.add(r);
        }
      }
      read += batch.length;
      counted(run, read, rejects.count);
      yield out;
    }
  }
  const written = await ctx.target
    .transaction(async (tx) => {
      const n = await tx.writeRows({ schema: table.target.schema, name: table.target.table }, program.write, converted());
      await recordRejects(ctx, tx, rejects);
      await ctx.control.finishChunk(tx, { stepFingerprint: ctx.stepFingerprint, chunkNo: chunk.chunkNo, rows: n, rejected: rejects.count, checksum: checksum?.digest() ?? '', runId: ctx.runId, at: ctx.now() });
      return n;
    })
    .finally(() => rejects.dispose());
  ctx.emit({ type: 'chunk_finish', table: table.id, chunk: chunk.chunkNo, chunks: chunkCount, rows: written, rejected: rejects.count });
  return { read, written, rejected: rejects.count };
}

/** Tables whose source refused the binary protocol: their chunks read the text protocol. */
const binaryRefused = new WeakSet<CopyContext>();

/** The source refused a chunk's read in the binary protocol before any row (`refusal`). */
class BinaryProtocolRefused extends Error {
  constructor(readonly refusal: EngineError) {
    super(refusal.message);
  }
}

/** The raw path, in the binary protocol where it can be; a source that refuses it is read as text. */
async function copyChunkRawTextOrText(run: ChunkRun, programs: RawPrograms, source: RawTextSource): Promise<ChunkOutcome> {
  const { ctx } = run;
  try {
    return await copyChunkRawText(run, programs, source);
  } catch (err) {
    if (!(err instanceof BinaryProtocolRefused)) throw err;
    binaryRefused.add(ctx);
    Object.assign(run.counts, zeroCounts());
    ctx.emit({ type: 'log', level: 'warn', message: `${ctx.table.id}: ${err.refusal.message}; reading it in the text protocol instead` });
    return copyChunkRawText(run, programs, source);
  }
}

/** Passes `rows` on; an 'unsupported' refusal before the first batch is handed to `refused` too. */
async function* noticingRefusal(rows: AsyncIterable<RawTextRows>, refused: (err: EngineError) => void): AsyncGenerator<RawTextRows> {
  let first = true;
  try {
    for await (const batch of rows) {
      first = false;
      yield batch;
    }
  } catch (err) {
    if (first && err instanceof EngineError && err.kind === 'unsupported') refused(err);
    throw err;
  }
}

/**
 * The raw-text path: rows as the source's wire bytes, each value either moved as it is or decoded
 * and converted (see raw-text-program.ts), into the target's bulk stream.
 */
async function copyChunkRawText(run: ChunkRun, programs: RawPrograms, source: RawTextSource): Promise<ChunkOutcome> {
  const { ctx, chunk, chunkCount } = run;
  const { table } = ctx;
  const qname = { schema: table.target.schema, name: table.target.table };
  const rejects = new RejectBuffer();
  let read = 0;
  if (!ctx.target.rawTextWriter) throw new Error(`bug: raw text chosen for ${table.id} but the target cannot take its stream`);
  // Before the transaction: choosing the writer may query the target on a pooled connection of its
  // own, which chunks holding every connection of the pool would otherwise wait for forever.
  const writer = await ctx.target.rawTextWriter(qname, ctx.program.write);
  const binary = writer.wire && source.binary && !binaryRefused.has(ctx) ? programs.binary : undefined;
  const program = binary ?? programs.text;
  let refused: EngineError | undefined;
  const rows = (request: ReadRequest) => (binary ? noticingRefusal(source.binary!.read(request, run.lane), (err) => (refused = err)) : source.read(request, run.lane));
  const outcome = await ctx.target.transaction(async (tx) => {
    if (!tx.copyIn) throw new Error(`bug: raw text chosen for ${table.id} but the target cannot take its stream`);
    const checksum = ctx.checksums ? new RowChecksum(ctx.program.write.map((w) => normaliserFor(w.logical))) : undefined;
    const onReject = (key: string, r: RowRejection) => rejects.push(rejectRecord(ctx, chunk, key, r.column, r.value, r.reason));
    async function* encoded(): AsyncGenerator<Buffer> {
      for await (const batch of fromSource(ctx, rows(readRequest(ctx, chunk)))) {
        if (ctx.cancelled()) throw new CancelledError();
        program.run(batch, writer, onReject, checksum);
        read += batch.count;
        counted(run, read, rejects.count);
        yield* writer.take(false);
      }
      yield* writer.take(true);
    }
    const n = await tx.copyIn(qname, ctx.program.write.map((w) => w.name), writer.format, encoded());
    await recordRejects(ctx, tx, rejects);
    await ctx.control.finishChunk(tx, { stepFingerprint: ctx.stepFingerprint, chunkNo: chunk.chunkNo, rows: n, rejected: rejects.count, checksum: checksum?.digest() ?? '', runId: ctx.runId, at: ctx.now() });
    return { read, written: n, rejected: rejects.count };
  })
    .catch((err: unknown) => {
      // The target's writer wraps what its input threw: the refusal is known from the read itself.
      throw refused ? new BinaryProtocolRefused(refused) : err;
    })
    .finally(() => rejects.dispose());
  ctx.emit({ type: 'chunk_finish', table: table.id, chunk: chunk.chunkNo, chunks: chunkCount, rows: outcome.written, rejected: outcome.rejected });
  return outcome;
}

/**
 * The raw path: the source's binary COPY stream written as is. Nothing is decoded, so no checksum
 * is computed while writing (validation computes the source side when it needs it).
 */
async function copyChunkRaw(run: ChunkRun): Promise<ChunkOutcome> {
  const { ctx, chunk, chunkCount, counts } = run;
  const { table, program } = ctx;
  const qname = { schema: table.target.schema, name: table.target.table };
  // Exactly the written columns, in order (columns read only for a filter come after them).
  const request = { ...readRequest(ctx, chunk), columns: program.read.slice(0, program.write.length) };
  const written = await ctx.target.transaction(async (tx) => {
    if (!tx.copyIn) throw new Error(`bug: passthrough chosen for ${table.id} but the target cannot take a raw COPY`);
    let lastReport = 0;
    const rows = new BinaryCopyRowEstimate();
    const measured = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const piece of source) {
        if (ctx.cancelled()) throw new CancelledError();
        counts.bytes += piece.length;
        rows.feed(piece);
        if (counts.bytes - lastReport >= 4 << 20) {
          lastReport = counts.bytes;
          counts.streaming = rows.rowsSoFar();
          run.report();
        }
        yield piece;
      }
    };
    const n = await tx.copyIn(qname, program.write.map((w) => w.name), 'binary', measured(fromSource(ctx, ctx.snapshot.copyOut!(request, run.lane, 'binary'))));
    await ctx.control.finishChunk(tx, { stepFingerprint: ctx.stepFingerprint, chunkNo: chunk.chunkNo, rows: n, rejected: 0, checksum: '', runId: ctx.runId, at: ctx.now() });
    return n;
  });
  counts.read = written;
  counts.written = written;
  counts.streaming = 0;
  run.report();
  ctx.emit({ type: 'chunk_finish', table: table.id, chunk: chunk.chunkNo, chunks: chunkCount, rows: written, rejected: 0 });
  return { read: written, written, rejected: 0 };
}

/**
 * Careful mode: batches of CAREFUL_BATCH rows, each under a savepoint; a batch the target refuses is
 * split around the row the target names (PostgreSQL), written again by the target's writeEach
 * where it undoes a refused statement by itself (MySQL/MariaDB), or else split in halves until the
 * refused rows stand alone; those go to the rejects table with the database's own message.
 */
async function copyChunkCareful(run: ChunkRun): Promise<ChunkOutcome> {
  const { ctx, chunk, chunkCount, counts } = run;
  const { table, program } = ctx;
  const qname = { schema: table.target.schema, name: table.target.table };
  const rejects = new RejectBuffer();
  return ctx.target.transaction(async (tx) => {
    const checksum = new RowChecksum(program.write.map((w) => normaliserFor(w.logical)));
    const refusals = new RefusalReader(tx, qname, program.write);
    let read = 0;
    let written = 0;
    let savepoint = 0;
    const tryWrite = async (rows: readonly { source: readonly unknown[]; target: Row }[]): Promise<void> => {
      if (rows.length === 0) return;
      const name = `dms_sp_${savepoint++}`;
      await tx.query(`SAVEPOINT ${name}`);
      try {
        await tx.writeRows(qname, program.write, once(rows.map((r) => r.target)));
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        for (const r of rows) checksum.add(r.target);
        written += rows.length;
      } catch (err) {
        // ROLLBACK TO keeps the savepoint open: without the RELEASE every later savepoint nests
        // inside it, and PostgreSQL holds a lock-table entry per nested level until the chunk's
        // transaction ends (thousands of refused rows filled it: SQLSTATE 53200); MySQL and
        // SQLite keep a growing savepoint list instead.
        await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        if (!(err instanceof EngineError) || err.kind !== 'data') throw err;
        const refused = rows.length === 1 ? 0 : err.refusedRow;
        if (refused !== undefined && refused >= 0 && refused < rows.length) {
          // The target named the row: the ones before it went in before it, so they go again
          // together, and only the rest can still hold refused rows.
          const row = rows[refused]!;
          const { column, value } = await refusals.fields(err, row.target);
          rejects.push(rejectRecord(ctx, chunk, describeSourceRow(row.source as Row, program), column, value, `refused by the target: ${err.message}`));
          await tryWrite(rows.slice(0, refused));
          await tryWrite(rows.slice(refused + 1));
          return;
        }
        if (tx.writeEach) {
          // The target undoes a refused statement on its own: the rows go again a few at a time,
          // without a savepoint per try (see writeEach).
          const outcomes = await tx.writeEach(qname, program.write, rows.map((r) => r.target));
          for (const [i, r] of rows.entries()) {
            const refusal = outcomes[i];
            if (refusal) {
              const { column, value } = await refusals.fields(refusal, r.target);
              rejects.push(rejectRecord(ctx, chunk, describeSourceRow(r.source as Row, program), column, value, `refused by the target: ${refusal.message}`));
            } else {
              checksum.add(r.target);
              written++;
            }
          }
          return;
        }
        const half = Math.ceil(rows.length / 2);
        await tryWrite(rows.slice(0, half));
        await tryWrite(rows.slice(half));
      }
    };
    let pending: { source: readonly unknown[]; target: Row }[] = [];
    for await (const batch of fromSource(ctx, ctx.snapshot.read(readRequest(ctx, chunk), run.lane))) {
      if (ctx.cancelled()) throw new CancelledError();
      for (const row of batch) {
        read++;
        const r = program.run(row);
        if (isRejection(r)) rejects.push(rejectRecord(ctx, chunk, describeSourceRow(row, program), r.column, r.value, r.reason));
        else pending.push({ source: row, target: r });
        if (pending.length >= CAREFUL_BATCH) {
          await tryWrite(pending);
          pending = [];
        }
      }
      counts.read = read;
      counts.written = written;
      counts.rejected = rejects.count;
      run.report();
    }
    await tryWrite(pending);
    await recordRejects(ctx, tx, rejects);
    await ctx.control.finishChunk(tx, { stepFingerprint: ctx.stepFingerprint, chunkNo: chunk.chunkNo, rows: written, rejected: rejects.count, checksum: checksum.digest(), runId: ctx.runId, at: ctx.now() });
    counts.read = read;
    counts.written = written;
    counts.rejected = rejects.count;
    ctx.emit({ type: 'chunk_finish', table: table.id, chunk: chunk.chunkNo, chunks: chunkCount, rows: written, rejected: rejects.count });
    return { read, written, rejected: rejects.count };
  })
    .catch((err: unknown) => {
      throw outOfLockSpace(err, ctx.table.id, rejects.count) ?? err;
    })
    .finally(() => rejects.dispose());
}

/**
 * The server's lock table full while careful mode runs (SQLSTATE 53200, "out of shared memory"): a
 * savepoint costs an entry while it is open, and a busy server or a low max_locks_per_transaction
 * can leave none; a rerun would fail the same way. Said with the two ways out.
 */
export function outOfLockSpace(err: unknown, tableId: string, refused: number): EngineError | undefined {
  if (!(err instanceof EngineError) || err.dbCode !== '53200') return undefined;
  return new EngineError(
    `${err.message} — the server's lock table filled up while isolating the rows the target refuses in ${tableId} (${refused} so far in this chunk); give the table smaller chunks (\`chunk rows = 5000\` in its \`table\` block, see docs/language.md) or raise the target's max_locks_per_transaction, then run apply again: finished chunks are kept`,
    err.kind,
    err.dbCode,
    err.endpoint,
  );
}

/**
 * The source side of a chunk, with its failures told apart from the target's: the target's writer
 * consumes these rows and would report a source failure as its own ("write failed on <target>").
 * A source lane is a transaction on the run's snapshot; once it fails the snapshot is gone, so no
 * retry in this run can read the chunk again — the failure is final here, and the next apply
 * resumes after the last finished chunk with a new snapshot.
 */
async function* fromSource<T>(ctx: CopyContext, source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    if (err instanceof EngineError && !isTransient(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new EngineError(
      `reading source ${ctx.table.source.endpoint} failed: ${message.split('\n')[0]} — its snapshot is lost; run apply again to resume after the last finished chunk`,
      'query',
      err instanceof EngineError ? err.dbCode : undefined,
      err instanceof EngineError ? err.endpoint : ctx.table.source.endpoint,
    );
  }
}

async function* once(rows: readonly Row[]): AsyncGenerator<readonly Row[]> {
  yield rows;
}

function rejectRecord(ctx: CopyContext, chunk: ChunkRecord, key: string, column: string | undefined, value: string | undefined, reason: string): RejectRecord {
  return {
    runId: ctx.runId,
    stepFingerprint: ctx.stepFingerprint,
    chunkNo: chunk.chunkNo,
    sourceTable: sourceTableName(ctx.table),
    targetTable: `${ctx.table.target.schema ? `${ctx.table.target.schema}.` : ''}${ctx.table.target.table}`,
    key,
    column,
    value,
    reason,
    at: ctx.now(),
  };
}

const REJECT_EVENTS_PER_TABLE = 20;

async function recordRejects(ctx: CopyContext, tx: TargetTransaction, rejects: RejectBuffer): Promise<void> {
  let i = 0;
  for await (const batch of rejects.batches()) {
    await ctx.control.recordRejects(tx, batch);
    // The rejects table holds every one; the event stream shows the first few of each chunk.
    for (const r of batch) if (i++ < REJECT_EVENTS_PER_TABLE) ctx.emit({ type: 'reject', table: ctx.table.id, key: r.key, column: r.column, value: r.value, reason: r.reason });
  }
}

async function withTransientRetry<T>(ctx: CopyContext, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const transient = err instanceof EngineError && (err.kind === 'transient' || err.kind === 'connect');
      if (!transient || attempt >= TRANSIENT_RETRIES) throw err;
      const delay = 500 * 2 ** attempt;
      ctx.emit({ type: 'log', level: 'warn', message: `${ctx.table.id}: ${err.message} — retrying the chunk in ${delay / 1000}s (attempt ${attempt + 2} of ${TRANSIENT_RETRIES + 1})` });
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
