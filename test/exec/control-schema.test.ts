/**
 * The control schema's step records on a real engine (SQLite, in process): a table made anew forgets
 * what earlier runs recorded of its other steps — completions and chunks, whatever their status —
 * in batches, and nothing of the steps it was not asked to forget.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ControlSchema, ControlShapeError } from '../../src/exec/control-schema.js';
import { sqliteEngine } from '../../src/engines/sqlite/index.js';
import { connect, tempDir } from '../engines/sqlite/helpers.js';

describe('control schema step records', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('forgets the completions and chunks of the steps it is given, more than one batch of them, and only those', async () => {
    const conn = await connect(dir.file('control.sqlite'), 'target');
    try {
      const control = new ControlSchema(sqliteEngine.dialect);
      await control.ensure(conn);
      const fingerprints = Array.from({ length: 450 }, (_, i) => `step${String(i).padStart(4, '0')}`);
      for (const f of fingerprints) await control.recordStep(conn, { fingerprint: f, id: f, runId: 'r1', at: '2026-01-01' });
      // Chunks planned, one of them finished: every status is forgotten alike.
      for (const f of fingerprints.slice(0, 300)) await control.planChunks(conn, f, [{ lower: undefined, upper: '10' }, { lower: '10', upper: undefined }]);
      await conn.transaction((tx) => control.finishChunk(tx, { stepFingerprint: fingerprints[0]!, chunkNo: 0, rows: 10, rejected: 0, checksum: 'c', runId: 'r1', at: '2026-01-01' }));
      expect((await control.chunkedSteps(conn)).size).toBe(300);
      expect(await control.startedCopies(conn)).toEqual(new Set([fingerprints[0]]));

      const forgotten = fingerprints.filter((_, i) => i % 2 === 0); // 225: two batches
      await control.forgetSteps(conn, forgotten);
      const kept = fingerprints.filter((_, i) => i % 2 === 1);
      expect([...(await control.completedSteps(conn))].sort()).toEqual(kept);
      expect([...(await control.chunkedSteps(conn))].sort()).toEqual(kept.filter((f) => fingerprints.indexOf(f) < 300));
      expect(await control.startedCopies(conn)).toEqual(new Set());
      await control.forgetSteps(conn, []);
      expect((await control.completedSteps(conn)).size).toBe(225);
    } finally {
      await conn.close();
    }
  });

  it('forgets the unfinished chunks of a copy and keeps its finished ones', async () => {
    const conn = await connect(dir.file('unstarted.sqlite'), 'target');
    try {
      const control = new ControlSchema(sqliteEngine.dialect);
      await control.ensure(conn);
      await control.planChunks(conn, 'copyA', [{ lower: undefined, upper: '10' }, { lower: '10', upper: undefined }]);
      await control.planChunks(conn, 'copyB', [{ lower: undefined, upper: undefined }]);
      await conn.transaction((tx) => control.finishChunk(tx, { stepFingerprint: 'copyA', chunkNo: 0, rows: 10, rejected: 0, checksum: 'c', runId: 'r1', at: '2026-01-01' }));
      await control.forgetUnstartedChunks(conn, 'copyA');
      await control.forgetUnstartedChunks(conn, 'copyB');
      expect((await control.chunks(conn, 'copyA')).map((c) => [c.chunkNo, c.done])).toEqual([[0, true]]);
      expect(await control.chunks(conn, 'copyB')).toEqual([]);
    } finally {
      await conn.close();
    }
  });

  it('refuses a control table of another shape when it is set up, naming it (a reject then failed a chunk after others had loaded)', async () => {
    const conn = await connect(dir.file('old-shape.sqlite'), 'target');
    try {
      await conn.execute(['CREATE TABLE "_dmsplan_rejects" (run_id TEXT, row_key TEXT, reason TEXT)']);
      const control = new ControlSchema(sqliteEngine.dialect);
      const err = await control.ensure(conn).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ControlShapeError);
      expect((err as ControlShapeError).table).toBe('"_dmsplan_rejects"');
      expect((err as ControlShapeError).tableName).toBe('_dmsplan_rejects');
      expect((err as ControlShapeError).message).toContain('it needs run_id, step_fingerprint, chunk_no');
      // Renamed away, a new one is made and the old rows stay where they are.
      await conn.execute(['ALTER TABLE "_dmsplan_rejects" RENAME TO "_dmsplan_rejects_old"']);
      await control.ensure(conn);
    } finally {
      await conn.close();
    }
  });
});
