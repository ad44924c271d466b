// The pure parts of `npm run bench`: options, plan generators, figures and tables, the docs
// section splice. Nothing here touches a database or runs a contestant.
import { describe, expect, it } from 'vitest';
import { benchPlanText } from '../../bench/bench-plan.js';
import { compilerPlanText, fixtureTableName } from '../../bench/compiler-fixture.js';
import { mysqlDatasetSql, postgresDatasetSql } from '../../bench/dataset.js';
import { RESULTS_END, RESULTS_START, replaceResultsSection } from '../../bench/docs-file.js';
import { parseMaxRss } from '../../bench/measure.js';
import { DEFAULT_OPTIONS, parseBenchArgs } from '../../bench/options.js';
import { markdownTable, ratio, renderContestantTable, summarise, type ContestantInfo, type RunSample } from '../../bench/results.js';
import { compilePlan } from '../../src/ir/load.js';
import { rotatedForRound, roundSchedule } from '../../bench/schedule.js';
import fc from 'fast-check';

describe('parseBenchArgs', () => {
  it('defaults to 1M rows, best of 2, every part', () => {
    expect(parseBenchArgs([])).toEqual(DEFAULT_OPTIONS);
    expect(DEFAULT_OPTIONS).toMatchObject({ rows: 1_000_000, customers: 50_000, runs: 2, parts: ['mysql', 'postgres', 'compiler'] });
  });

  it('reads every option, in both spellings', () => {
    expect(parseBenchArgs(['--rows', '5_000_000', '--runs=3', '--only', 'postgres,compiler', '--validate', 'checksums', '--workers', '2', '--no-docs', '--regenerate'])).toMatchObject({
      rows: 5_000_000,
      runs: 3,
      parts: ['postgres', 'compiler'],
      validate: 'checksums',
      workers: 2,
      writeDocs: false,
      regenerate: true,
    });
  });

  it('refuses what it does not understand', () => {
    expect(parseBenchArgs(['--rows', '0'])).toEqual({ error: '--rows expects a positive integer, got 0' });
    expect(parseBenchArgs(['--only', 'oracle'])).toHaveProperty('error');
    expect(parseBenchArgs(['--validate', 'all'])).toHaveProperty('error');
    expect(parseBenchArgs(['--fast'])).toEqual({ error: 'unknown option --fast' });
  });
});

describe('round order', () => {
  it('round 1 keeps the order; each round is the same contestants; over n rounds each one runs once in every position', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 50 }), (names, start) => {
        expect(rotatedForRound(names, 1)).toEqual(names);
        const rounds = names.map((_, i) => rotatedForRound(names, start + i));
        for (const order of rounds) expect([...order].sort()).toEqual([...names].sort());
        for (let position = 0; position < names.length; position++) expect(new Set(rounds.map((order) => order[position])).size).toBe(names.length);
      }),
    );
  });

  it('rotates the paths and the contestants inside each path', () => {
    const groups = [{ path: 'mysql', contestants: ['pgloader', 'dmsplan-mysql'] }, { path: 'postgres', contestants: ['pgcopydb', 'psql', 'dmsplan-postgres'] }];
    const names = (round: number) => roundSchedule(groups, round).map((s) => s.contestant);
    expect(names(1)).toEqual(['pgloader', 'dmsplan-mysql', 'pgcopydb', 'psql', 'dmsplan-postgres']);
    expect(names(2)).toEqual(['psql', 'dmsplan-postgres', 'pgcopydb', 'dmsplan-mysql', 'pgloader']);
    expect(names(3)).toEqual(['pgloader', 'dmsplan-mysql', 'dmsplan-postgres', 'pgcopydb', 'psql']);
  });
});

describe('generated plans', () => {
  it('the benchmark plans compile without diagnostics and keep the defaults unless told', () => {
    for (const source of ['mysql', 'postgres'] as const) {
      const text = benchPlanText({ source, sourceDatabase: 'dmsplan_bench_src', workers: undefined, validate: undefined });
      const { value, diagnostics } = compilePlan(text, `/bench/${source}.dmsplan`, () => undefined);
      expect(diagnostics).toEqual([]);
      expect(value?.migration).toMatchObject({ workers: 4, validate: 'counts' });
      expect(value?.maps[0]?.source.schema).toMatchObject({ text: source === 'mysql' ? 'dmsplan_bench_src' : 'public' });
    }
    const tuned = compilePlan(benchPlanText({ source: 'mysql', sourceDatabase: 'db', workers: 2, validate: 'checksums' }), '/b.dmsplan', () => undefined);
    expect(tuned.value?.migration).toMatchObject({ workers: 2, validate: 'checksums' });
  });

  it('the compiler plan has one table block per table and compiles cleanly', () => {
    const { value, diagnostics } = compilePlan(compilerPlanText(50), '/bench/compiler.dmsplan', () => undefined);
    expect(diagnostics).toEqual([]);
    expect(value?.maps[0]?.tables).toHaveLength(50);
    expect(value?.maps[0]?.tables[49]?.match).toMatchObject({ text: fixtureTableName(49) });
    expect(value?.maps[0]?.tables[0]?.masks).toHaveLength(1);
    expect(value?.maps[0]?.tables[1]?.masks).toHaveLength(0);
  });
});

describe('dataset SQL', () => {
  it('generates server-side, from a sequence, the requested sizes in both engines', () => {
    const my = mysqlDatasetSql(1234, 56).join('\n');
    const pg = postgresDatasetSql(1234, 56).join('\n');
    expect(my).toContain('FROM seq_1_to_1234');
    expect(my).toContain('FROM seq_1_to_56');
    expect(pg).toContain('generate_series(1::bigint, 1234)');
    expect(pg).toContain('generate_series(1, 56)');
    for (const sql of [my, pg]) expect(sql).toContain('% 56'); // customer ids stay inside customers
  });
});

describe('figures', () => {
  const info: ContestantInfo = { id: 'pgloader', label: 'pgloader', path: 'MySQL → PostgreSQL' };
  const ours: ContestantInfo = { id: 'dmsplan-mysql', label: 'dmsplan', path: 'MySQL → PostgreSQL' };
  const sample = (contestant: RunSample['contestant'], round: number, wallSeconds: number, peakRssKb: number, exitCode = 0): RunSample => ({ contestant, round, wallSeconds, peakRssKb, exitCode, problems: [] });
  const samples = [sample('pgloader', 1, 10, 512_000), sample('dmsplan-mysql', 1, 4, 102_400), sample('pgloader', 2, 8, 409_600), sample('dmsplan-mysql', 2, 3, 204_800, 1)];

  it('takes the best successful wall time and the highest successful peak', () => {
    const s = summarise(info, samples, { rows: 1_000_000, bytes: 100e6 });
    expect(s).toMatchObject({ ran: true, bestWallSeconds: 8, wallSeconds: [10, 8], rowsPerSecond: 125_000, megabytesPerSecond: 12.5, peakRssMb: 500 });
    const d = summarise(ours, samples, { rows: 1_000_000, bytes: 100e6 });
    expect(d).toMatchObject({ bestWallSeconds: 4, peakRssMb: 100, notes: ['run 2 exited 1'] });
  });

  it('ratios divide ours by theirs, and stay empty when either side never ran', () => {
    const volume = { rows: 1, bytes: 1 };
    expect(ratio('x', summarise(ours, samples, volume), summarise(info, samples, volume))).toEqual({ label: 'x', wall: 0.5, memory: 0.2 });
    const failed = summarise(ours, [sample('dmsplan-mysql', 1, 0.1, 40_000, 1)], volume);
    expect(ratio('x', failed, summarise(info, samples, volume))).toEqual({ label: 'x', wall: undefined, memory: undefined });
  });

  it('renders aligned Markdown tables with escaped pipes', () => {
    expect(markdownTable(['a', 'long header'], [['x|y', '1']]).split('\n')).toEqual(['| a    | long header |', '|------|-------------|', '| x\\|y | 1           |']);
    const table = renderContestantTable([summarise(info, samples, { rows: 1_050_000, bytes: 255e6 })]);
    expect(table).toContain('| MySQL → PostgreSQL | pgloader   | 8.00');
    expect(table).toContain('131,250');
    expect(table).toContain('complete');
  });

  it('reads peak memory from /usr/bin/time -v', () => {
    expect(parseMaxRss('\tMaximum resident set size (kbytes): 752540\n\tAverage')).toBe(752540);
    expect(parseMaxRss('nothing')).toBeUndefined();
  });
});

describe('docs/performance.md', () => {
  it('replaces only the generated section, keeping the hand-written text', () => {
    const first = replaceResultsSection('# Performance\n\nHand-written.\n', 'old figures');
    expect(first).toBe(`# Performance\n\nHand-written.\n\n${RESULTS_START}\nold figures\n${RESULTS_END}\n`);
    const second = replaceResultsSection(`${first}\nA footer.\n`, 'new figures');
    expect(second).toContain('Hand-written.');
    expect(second).toContain('A footer.');
    expect(second).toContain('new figures');
    expect(second).not.toContain('old figures');
  });
});
