/**
 * Before the full load of a change-capturing run: per source, open the engine's change capture,
 * check its prerequisites, and either find where each target's applied changes stand (a resumed
 * run) or start the stream — PostgreSQL creates the slot and the full load reads from the snapshot
 * exported with it — and store that start position in every target at once, before any row is copied.
 */
import { createHash } from 'node:crypto';
import type { TableMapping } from '../../check/checked-plan.js';
import type { CaptureSetup, CaptureTable, ChangeCapture, EngineConnection, ReadColumn, SourceSnapshot } from '../../engines/contract.js';
import { findEngine } from '../../engines/registry.js';
import type { ExecutionGraph } from '../../plan/graph.js';
import type { ControlSchema } from '../control-schema.js';
import { connectConfigOf, type ResolvedEndpoint } from '../endpoints.js';
import { FollowStop } from './apply-changes.js';
import { compileFollowedTable, sameTable, type FollowedTable } from './followed-tables.js';
import type { FollowTarget } from './follow.js';

export interface PreparedCapture {
  readonly source: string;
  readonly captureName: string;
  readonly capture: ChangeCapture;
  readonly setup: CaptureSetup;
  readonly targets: FollowTarget[];
  readonly resumed: boolean;
  /** The snapshot the full load must read (the stream starts exactly after it), when one was taken. */
  readonly snapshot: SourceSnapshot | undefined;
}

export interface PrepareInput {
  readonly graph: ExecutionGraph;
  readonly endpoints: readonly ResolvedEndpoint[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly connection: (endpoint: string) => EngineConnection;
  readonly control: (endpoint: string) => ControlSchema;
  readonly lanes: number;
  readonly runId: string;
  readonly now: () => string;
}

/** The name of the server-side objects (slot, publication) of a plan's source: stable across runs. */
export function captureNameOf(planName: string, source: string): string {
  return `dmsplan_${planName}_${source}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
}

export async function prepareCaptures(input: PrepareInput): Promise<PreparedCapture[]> {
  const out: PreparedCapture[] = [];
  const sources = [...new Set(input.graph.tables.map((t) => t.source.endpoint))];
  try {
    for (const source of sources) out.push(await prepareSource(input, source));
  } catch (err) {
    await Promise.all(out.map((p) => p.snapshot?.close().catch(() => undefined)));
    await Promise.all(out.map((p) => p.capture.close().catch(() => undefined)));
    throw err;
  }
  return out;
}

async function prepareSource(input: PrepareInput, source: string): Promise<PreparedCapture> {
  const { graph } = input;
  const plan = graph.endpoints.find((e) => e.name === source)!;
  const engine = findEngine(plan.engine);
  const resolved = input.endpoints.find((e) => e.plan.name === source);
  if (!engine?.cdc || !resolved) throw new FollowStop(`source ${source} (${plan.engine}) cannot be followed: change data capture works from postgres and mysql sources`);
  const mappings = graph.tables.filter((t) => t.source.endpoint === source);
  // Expression filters are evaluated on each change; a raw SQL filter only the source can run.
  const rawFiltered = mappings.filter((m) => m.where !== undefined && m.filter === undefined);
  if (rawFiltered.length) throw new FollowStop(`${rawFiltered.map((m) => m.id).join(', ')}: a raw SQL filter (where raw "…") cannot be applied to captured changes; write it in the plan's expression language or use mode = full_load`);

  const followed = new Map<string, FollowedTable[]>();
  for (const m of mappings) {
    const targetPlan = graph.endpoints.find((e) => e.name === m.target.endpoint)!;
    const targetEngine = findEngine(targetPlan.engine);
    if (!targetEngine) throw new Error(`bug: no engine ${targetPlan.engine}`);
    const list = followed.get(m.target.endpoint) ?? [];
    list.push(compileFollowedTable(m, targetEngine));
    followed.set(m.target.endpoint, list);
  }
  const setup: CaptureSetup = { name: captureNameOf(graph.migration.name, source), tables: await captureTables(input.connection(source), mappings, [...followed.values()].flat()) };

  const capture = await engine.cdc.open(connectConfigOf(resolved, Math.max(2, input.lanes + 1), input.env));
  try {
    const problems = await capture.check(setup.tables);
    if (problems.length) throw new FollowStop(`source ${source} is not ready for change data capture:\n${problems.map((p) => `  - ${p.message}; fix: ${p.fix}`).join('\n')}`);

    const targets: FollowTarget[] = [];
    const stored = new Map<string, { position: string; transactions: number } | undefined>();
    for (const [endpoint, tables] of followed) {
      const conn = input.connection(endpoint);
      const streamKey = streamKeyOf(graph.migration.name, source, endpoint, tables);
      stored.set(endpoint, await input.control(endpoint).cdcPosition(conn, streamKey));
      const targetPlan = graph.endpoints.find((e) => e.name === endpoint)!;
      targets.push({ endpoint, streamKey, connection: conn, dialect: findEngine(targetPlan.engine)!.dialect, control: input.control(endpoint), tables, stored: '', transactions: 0 });
    }
    const known = [...stored.values()].filter((s) => s !== undefined);
    if (known.length > 0) {
      // A run stopped while storing the start position in each target: the ones without it have
      // copied nothing yet, and the stream holds everything after the earliest stored position.
      const earliest = known.map((k) => k.position).reduce((a, b) => (capture.compare(a, b) <= 0 ? a : b));
      const missing = targets.filter((t) => stored.get(t.endpoint) === undefined);
      if (missing.length && graph.migration.mode === 'full_load_and_cdc') await refuseLoadedWithoutCapture(input, source, mappings.filter((m) => missing.some((t) => t.endpoint === m.target.endpoint)));
      for (const t of targets) {
        const s = stored.get(t.endpoint);
        if (!s) await t.control.saveCdcPosition(t.connection, { streamKey: t.streamKey, source, plan: graph.migration.name, captureName: setup.name, position: earliest, transactions: 0, runId: input.runId, at: input.now() });
        t.stored = s?.position ?? earliest;
        t.transactions = s?.transactions ?? 0;
      }
      // Tables added to the plan since: their changes must be in the stream before they are copied.
      await capture.refresh?.(setup);
      return { source, captureName: setup.name, capture, setup, targets, resumed: true, snapshot: undefined };
    }
    if (graph.migration.mode === 'full_load_and_cdc') await refuseLoadedWithoutCapture(input, source, mappings);
    const lanes = graph.migration.mode === 'full_load_and_cdc' ? input.lanes : 0;
    const started = await capture.start(setup, lanes);
    try {
      for (const t of targets) {
        await t.control.saveCdcPosition(t.connection, { streamKey: t.streamKey, source, plan: graph.migration.name, captureName: setup.name, position: started.position, transactions: 0, runId: input.runId, at: input.now() });
        t.stored = started.position;
      }
    } catch (err) {
      await started.snapshot?.close().catch(() => undefined);
      throw err;
    }
    return { source, captureName: setup.name, capture, setup, targets, resumed: false, snapshot: started.snapshot };
  } catch (err) {
    await capture.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Identifies one source's stream into one target: the plan, the source, and the target schemas it
 * writes (so two target databases on one MySQL server, sharing its `_dmsplan`, never mix positions;
 * a table added to the plan later keeps the key).
 */
export function streamKeyOf(plan: string, source: string, target: string, tables: readonly FollowedTable[]): string {
  const names = [...new Set(tables.map((t) => t.target.schema ?? ''))].sort();
  return createHash('sha256').update(JSON.stringify({ plan, source, target, names })).digest('hex').slice(0, 40);
}

/** A table copied by an earlier full load without a stream position would miss every change made since. */
async function refuseLoadedWithoutCapture(input: PrepareInput, source: string, mappings: readonly TableMapping[]): Promise<void> {
  const ids = new Set(mappings.map((m) => m.id));
  const copies = input.graph.steps.filter((s) => s.kind === 'copy' && s.table !== undefined && ids.has(s.table));
  const loaded = new Set<string>();
  for (const endpoint of new Set(mappings.map((m) => m.target.endpoint))) {
    const control = input.control(endpoint);
    const conn = input.connection(endpoint);
    const done = await control.completedSteps(conn);
    const started = await control.startedCopies(conn);
    for (const c of copies) {
      if (c.endpoint !== endpoint || !(done.has(c.fingerprint) || started.has(c.fingerprint))) continue;
      // A table this run makes afresh (dropped by hand, or `prepare = drop_and_create`) is loaded
      // again from the new snapshot: what the earlier load left is gone with it. Without this, both
      // ways out the message below names were refused with the same message.
      if (await remadeThisRun(input, c.table!, endpoint, done)) continue;
      loaded.add(c.table!);
    }
  }
  const unplannedCopies = mappings.filter((m) => !input.graph.steps.some((s) => s.kind === 'copy' && s.table === m.id));
  for (const m of unplannedCopies) loaded.add(m.id);
  if (loaded.size) {
    // `prepare = drop_and_create`, which this message named first, never drops a table this plan
    // loaded (a rerun plans nothing for it): dropping the table is the way to load it again.
    const drops = [...loaded].flatMap((id) => {
      const m = input.graph.tables.find((t) => t.id === id);
      const plan = m ? input.graph.endpoints.find((e) => e.name === m.target.endpoint) : undefined;
      const engine = plan ? findEngine(plan.engine) : undefined;
      return m && engine ? [`DROP TABLE ${engine.dialect.qualify({ schema: m.target.schema, name: m.target.table })}`] : [];
    });
    throw new FollowStop(
      `${[...loaded].join(', ')}: loaded by an earlier run without change data capture, so the changes made on ${source} since then are unknown. ` +
        `Drop the table(s) on the target (${drops.map((d) => `${d};`).join(' ')}) and run apply again: they are made, loaded and followed from one consistent point`,
    );
  }
}

/** Steps that make a table afresh (apply.ts runs them again when the table is gone, and voids the table's other records). */
const REMAKES_TABLE = new Set(['drop_table', 'truncate_table', 'create_types', 'create_table']);

/** Whether this run drops, truncates or creates the mapping's target table before copying it. */
async function remadeThisRun(input: PrepareInput, tableId: string, endpoint: string, done: ReadonlySet<string>): Promise<boolean> {
  const remaking = input.graph.steps.filter((s) => REMAKES_TABLE.has(s.kind) && s.table === tableId && s.endpoint === endpoint);
  if (remaking.length === 0) return false;
  if (remaking.some((s) => !done.has(s.fingerprint))) return true;
  const mapping = input.graph.tables.find((t) => t.id === tableId);
  const plan = input.graph.endpoints.find((e) => e.name === endpoint);
  const engine = plan ? findEngine(plan.engine) : undefined;
  if (!mapping || !engine) return false;
  try {
    await input.connection(endpoint).query(`SELECT 1 FROM ${engine.dialect.qualify({ schema: mapping.target.schema, name: mapping.target.table })} WHERE 1 = 0`);
    return false;
  } catch {
    return true; // gone: made again, and loaded again
  }
}

/** One capture table per source table: the union of the columns its mappings read, and every column it has now. */
async function captureTables(conn: EngineConnection, mappings: readonly TableMapping[], followed: readonly FollowedTable[]): Promise<CaptureTable[]> {
  const schemas = [...new Set(mappings.map((m) => m.source.schema))];
  const catalog = await conn.introspect({ schemas });
  const out: CaptureTable[] = [];
  for (const f of followed) {
    const table = { schema: f.mapping.source.schema, name: f.mapping.source.table };
    const existing = out.find((t) => sameTable(t.table, table));
    const columns: ReadColumn[] = existing ? [...existing.columns] : [];
    for (const c of f.program.read) if (!columns.some((x) => x.name === c.name)) columns.push(c);
    const known = catalog.tables.find((t) => t.schema === table.schema && t.name === table.name)?.columns.map((c) => c.name) ?? columns.map((c) => c.name);
    const entry: CaptureTable = { table, columns, knownColumns: known };
    if (existing) out[out.indexOf(existing)] = entry;
    else out.push(entry);
  }
  return out;
}
