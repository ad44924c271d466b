/** The SQL that makes a source's functions and triggers on a PostgreSQL target, schema renamed or not. */
import { describe, expect, it } from 'vitest';
import { postgresDialect, retargetRoutine, retargetTrigger } from '../../../src/engines/postgres/postgres-ddl.js';
import type { RoutineCatalog, TriggerCatalog } from '../../../src/schema/catalog.js';
import { sameRoutineDefinition } from '../../../src/plan/routine-steps.js';

const makeId: RoutineCatalog = {
  schema: 'app',
  name: 'make_id',
  args: '',
  kind: 'function',
  qualifiedName: 'app.make_id',
  definition: "CREATE OR REPLACE FUNCTION app.make_id()\n RETURNS text\n LANGUAGE sql\nAS $function$ SELECT 'app.make_id(' || 1 $function$\n",
};

const touch: TriggerCatalog = {
  name: 'notes_touch',
  definition: 'CREATE TRIGGER notes_touch BEFORE UPDATE ON app.notes FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION touch()',
  tableText: 'app.notes',
  function: { schema: 'public', name: 'touch', qualifiedText: 'public.touch', nameText: 'touch' },
};

describe('PostgreSQL functions and triggers made on a target', () => {
  it('makes a function with its body unchecked, in one statement string (SET LOCAL ends with it)', () => {
    expect(postgresDialect.createRoutine!(makeId, 'app')).toEqual([`SET LOCAL check_function_bodies = off; ${makeId.definition}`]);
  });

  it('names the target schema in the header only, the body kept as written', () => {
    expect(retargetRoutine(makeId, 'Shop')).toBe("CREATE OR REPLACE FUNCTION \"Shop\".\"make_id\"()\n RETURNS text\n LANGUAGE sql\nAS $function$ SELECT 'app.make_id(' || 1 $function$\n");
    expect(retargetRoutine(makeId, 'app')).toBe(makeId.definition);
  });

  it('tells a definition apart from the same one printed under another schema', () => {
    const onTarget: RoutineCatalog = { ...makeId, schema: 'shop', qualifiedName: 'shop.make_id', definition: makeId.definition!.replace('app.make_id()', 'shop.make_id()') };
    expect(sameRoutineDefinition(onTarget, makeId)).toBe(true);
    expect(sameRoutineDefinition({ ...onTarget, definition: onTarget.definition!.replace('|| 1', '|| 2') }, makeId)).toBe(false);
  });

  it('drops a trigger of that name first and makes it on the target table, its function qualified', () => {
    expect(postgresDialect.createTrigger!(touch, { schema: 'shop', name: 'notes2' }, 'public')).toEqual([
      'DROP TRIGGER IF EXISTS "notes_touch" ON "shop"."notes2"; CREATE TRIGGER notes_touch BEFORE UPDATE ON "shop"."notes2" FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION "public"."touch"()',
    ]);
  });

  it('rewrites a function the definition prints qualified, with its arguments kept', () => {
    const qualified = { ...touch, definition: "CREATE TRIGGER t AFTER INSERT ON app.notes FOR EACH ROW EXECUTE FUNCTION app.audit('notes', 'x')", function: { schema: 'app', name: 'audit', qualifiedText: 'app.audit', nameText: 'audit' } };
    expect(retargetTrigger(qualified, { schema: 'shop', name: 'notes' }, 'shop')).toBe(`CREATE TRIGGER t AFTER INSERT ON "shop"."notes" FOR EACH ROW EXECUTE FUNCTION "shop"."audit"('notes', 'x')`);
  });
});
