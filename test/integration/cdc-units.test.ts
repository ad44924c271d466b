/**
 * The pure parts of change data capture: LSN and binlog position arithmetic (the library traps the
 * notes describe), and how the views show lag and rates.
 */
import { describe, expect, it } from 'vitest';
import { acknowledgeLsn, bigIntToLsn, compareLsn, lsnToBigInt } from '../../src/engines/postgres/postgres-cdc.js';
import { binlogPosition, compareBinlogPositions, mysqlCaptureProblems, parseBinlogPosition } from '../../src/engines/mysql/mysql-cdc.js';
import type { ExecEvent } from '../../src/exec/events.js';
import { cdcLine, createPlainReporter } from '../../src/ui/plain-reporter.js';
import { initialState, reduce } from '../../src/ui/state.js';
import { recordingIO } from '../ui/support/fake-io.js';

describe('PostgreSQL LSNs', () => {
  it('compares the server and library spellings as numbers, not text', () => {
    expect(compareLsn('0/85554E10', '00000000/85554E10')).toBe(0);
    expect(compareLsn('0/9', '0/10')).toBeLessThan(0);
    expect(compareLsn('1/0', '0/FFFFFFFF')).toBeGreaterThan(0);
    expect(lsnToBigInt('1/0')).toBe(1n << 32n);
    expect(bigIntToLsn(lsnToBigInt('00000001/0000000A'))).toBe('1/A');
  });

  it('acknowledges one byte before the stored position (the library adds one)', () => {
    expect(acknowledgeLsn('0/85554E10')).toBe('0/85554E0F');
    expect(acknowledgeLsn('1/0')).toBe('0/FFFFFFFF');
    expect(acknowledgeLsn('0/0')).toBe('0/0');
  });
});

describe('binlog positions', () => {
  it('orders by file number, then offset', () => {
    expect(compareBinlogPositions(binlogPosition('binlog.000002', 4), binlogPosition('binlog.000001', 999999))).toBeGreaterThan(0);
    expect(compareBinlogPositions('binlog.000010:5', 'binlog.000009:7')).toBeGreaterThan(0);
    expect(compareBinlogPositions('binlog.000001:100', 'binlog.000001:20')).toBeGreaterThan(0);
    expect(parseBinlogPosition('my:host-bin.000003:77')).toEqual({ file: 'my:host-bin.000003', offset: 77 });
    expect(() => parseBinlogPosition('nonsense')).toThrow();
  });

  it('names each missing server setting with its fix', () => {
    const problems = mysqlCaptureProblems({ logBin: true, format: 'MIXED', rowImage: 'MINIMAL', rowMetadata: 'NO_LOG', canReadBinlogStatus: false });
    expect(problems.map((p) => p.check)).toEqual(['row_format', 'row_image', 'row_metadata', 'privilege']);
    expect(problems[0]!.fix).toContain("binlog_format = 'ROW'");
    expect(mysqlCaptureProblems({ logBin: false, format: 'ROW', rowImage: 'FULL', rowMetadata: 'FULL', canReadBinlogStatus: true })).toHaveLength(1);
    expect(mysqlCaptureProblems({ logBin: true, format: 'ROW', rowImage: 'FULL', rowMetadata: 'FULL', canReadBinlogStatus: true })).toEqual([]);
  });
});

describe('views of a followed source', () => {
  const start: ExecEvent = { type: 'cdc_start', source: 'shop', position: '0/16B3748', resumed: true, tables: 3 };
  const progress = (over: Partial<Extract<ExecEvent, { type: 'cdc_progress' }>>): ExecEvent => ({
    type: 'cdc_progress',
    source: 'shop',
    position: '0/16B9000',
    transactions: 56,
    changes: 1234,
    rejected: 0,
    lagSeconds: 2.5,
    eventsBehind: 3,
    changesPerSecond: 120.4,
    caughtUp: false,
    ...over,
  });

  it('keeps lag, backlog and rates per source in the state', () => {
    let s = reduce(initialState, start, 0);
    expect(s.cdc.shop).toMatchObject({ resumed: true, tables: 3, caughtUp: false });
    s = reduce(s, progress({}), 1000);
    expect(s.cdc.shop).toMatchObject({ lagSeconds: 2.5, eventsBehind: 3, changes: 1234, resumed: true });
    expect(s.feed.at(-1)).toMatchObject({ kind: 'log', message: expect.stringContaining('Following changes of shop') });
  });

  it('prints a line when the follower catches up, and at most one a while otherwise', () => {
    expect(cdcLine({ source: 'shop', transactions: 56, changes: 1234, rejected: 2, lagSeconds: 0, eventsBehind: 0, changesPerSecond: 0, caughtUp: true })).toBe(
      'shop: caught up · lag 0.0 s · 0 behind · 0 changes/s · 1,234 changes in 56 transactions · 2 rejected',
    );
    const io = recordingIO();
    let clock = 0;
    const reporter = createPlainReporter(io, { color: false, now: () => clock });
    reporter.sink(start);
    for (let i = 0; i < 10; i++) {
      clock += 100;
      reporter.sink(progress({ transactions: 56 + i }));
    }
    clock += 100;
    reporter.sink(progress({ caughtUp: true, lagSeconds: 0, eventsBehind: 0 }));
    const lines = io.out().split('\n').filter((l) => l.includes('⟳'));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('caught up');
  });
});
