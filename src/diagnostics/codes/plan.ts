import type { CodeInfo } from './types.js';

export const PLAN_CODES: readonly CodeInfo[] = [
  {
    code: 'DMS4001',
    title: 'target table already holds rows this plan did not write',
    explanation:
      'With `prepare = do_nothing` (the default) dmsplan never deletes rows it did not write. The target table exists and is not empty, and the control schema has no record of loading it — or, for a merged table, one of its sources was loaded by an earlier version of the plan whose copy has changed since (the merge\'s tags, offsets or columns, or the source\'s column types): copying that source again would add its rows beside the earlier ones, which nothing tells apart, so every source must be loaded again. Choose what should happen on the target endpoint:\n\n```\ntarget dw postgres {\n  url     = env("DW_URL")\n  prepare = truncate          # or drop_and_create\n}\n```',
  },
  {
    code: 'DMS4002',
    title: 'existing target table is not compatible',
    explanation:
      'The target table exists but lacks columns the plan writes. Use `prepare = drop_and_create` to recreate it, or alter it by hand.',
  },
  {
    code: 'DMS4003',
    title: 'saved plan is stale',
    explanation:
      'A saved plan (`plan --out`) records fingerprints of the source and target schemas. One of them changed since the plan was made, so applying it could do something other than what was reviewed. Run `dmsplan plan --out` again and review the new plan.',
  },
  {
    code: 'DMS4005',
    title: 'a table stands where a view is to be made',
    explanation:
      'With `views = recreate`, each view the map selects is made again on the target under its target name. The target already has a table of that name, which dmsplan does not replace by a view. Rename or drop the table on the target, or leave the view out of the map with `exclude VIEW_NAME`.',
  },
  {
    code: 'DMS4006',
    title: 'partitions missing on an existing target table',
    explanation:
      'A partitioned PostgreSQL table is made on a PostgreSQL target with every partition the source had then (DMS3436). Planned again later, the table exists and is kept, and the plan does not alter it: a partition the source has gained since is not on the target, so a row in its range — copied into an emptied table, or a change followed under `full_load_and_cdc` — is refused there ("no partition of relation found for row") and goes to the rejects table with that reason. The warning gives the statements that add the missing partitions; run them on the target before the rows come (a DEFAULT partition that already holds rows of the new range must give them up first), or make the table again with `prepare = drop_and_create`.',
  },
  {
    code: 'DMS4010',
    title: 'a foreign key of an existing target table differs from the source\'s',
    explanation:
      'The target table exists (an earlier run made it) with a foreign key on the same columns and parent table as the source\'s, but the key acts otherwise: its ON DELETE or ON UPDATE action, or whether it is DEFERRABLE, was changed on the source since. On PostgreSQL and MySQL/MariaDB targets the plan lists it as `~ foreign key … : on delete cascade → set null` and apply drops the target\'s key and makes the source\'s. SQLite declares foreign keys with the table and cannot change one of an existing table: the target keeps its own key, and this warning says how it differs. Set `prepare = drop_and_create` on the target to make the table again with the source\'s key (its rows are loaded again).',
  },
  {
    code: 'DMS4011',
    title: 'the plan file declares nothing',
    explanation:
      'The file holds no statement at all (it is empty, or holds only comments). Planned, it would say "No changes" and exit 0 (also with `--detailed-exitcode`), so a pipeline whose plan file came out empty — a redirect of a command that failed, a wrong path in a template — would pass having migrated nothing. `validate`, `plan` and `apply` refuse it instead. Point the command at the plan you meant, or write one: `dmsplan init --from URL --to URL > plan.dmsplan`. A file of `types` blocks only, imported by a plan, is fine.',
  },
  {
    code: 'DMS4004',
    title: 'not a saved plan',
    explanation: 'The JSON file given to `apply` is not a plan written by `dmsplan plan --out` of a compatible version, or it was edited. Make it again with `dmsplan plan FILE --out PLAN.json`.',
  },
];
