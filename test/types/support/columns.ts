/** Hand-made catalog columns for type tests. */
import type { EngineTypes } from '../../../src/engines/contract.js';
import type { ColumnCatalog, NativeType } from '../../../src/schema/catalog.js';

export function columnOf(types: EngineTypes, type: string | NativeType, extra: Partial<ColumnCatalog> = {}): ColumnCatalog {
  const typeText = typeof type === 'string' ? type : type.text;
  const nativeType = typeof type === 'string' ? types.parseNative(typeText) : type;
  if (!nativeType) throw new Error(`test setup: cannot parse ${typeText}`);
  return {
    name: extra.name ?? 'c',
    ordinal: 1,
    nativeType,
    logical: types.toLogical(nativeType),
    nullable: true,
    default: undefined,
    identity: undefined,
    generated: undefined,
    onUpdateCurrentTimestamp: false,
    collation: undefined,
    charset: undefined,
    comment: undefined,
    ...extra,
  };
}

export const TABLE = { schema: 'shop', name: 'Invoice' } as const;

/** Source types exercising every built-in rule, per source engine. */
export const MYSQL_SAMPLES: readonly (string | NativeType)[] = [
  'tinyint(1)', 'tinyint', 'tinyint unsigned', 'smallint', 'smallint unsigned', 'mediumint', 'mediumint unsigned', 'int', 'int unsigned',
  'bigint', 'bigint unsigned', 'bit(1)', 'bit(8)', 'bit(64)', 'year', 'decimal(10,2)', 'decimal(65,30)', 'decimal(65,0)', 'decimal(1,0)', 'decimal(5,5)', 'decimal(20,4) unsigned', 'float', 'double',
  'date', 'datetime', 'datetime(3)', 'datetime(6)', 'timestamp', 'timestamp(6)', 'time', 'time(6)', 'char(10)', 'varchar(255)', 'varchar(1)',
  'tinytext', 'text', 'mediumtext', 'longtext', 'binary(16)', 'varbinary(100)', 'tinyblob', 'blob', 'mediumblob', 'longblob',
  "enum('small','medium','large')", "set('red','green','blue')", 'json',
];

export const POSTGRES_SAMPLES: readonly (string | NativeType)[] = [
  'boolean', 'smallint', 'integer', 'bigint', 'numeric(10,2)', 'numeric(65,30)', 'numeric(100,10)', 'numeric(40,35)', 'numeric', 'real', 'double precision',
  'date', 'timestamp(6)', 'timestamp(0)', 'timestamptz(6)', 'timestamptz(3)', 'time(6)', 'timetz(6)', 'interval(6)', 'char(10)', 'varchar(255)', 'varchar', 'text',
  'bytea', 'uuid', 'json', 'jsonb', 'bit(1)', 'bit(12)', 'bit(100)', 'char(300)', 'varbit(20)', 'varbit', 'text[]', 'integer[]', 'bigint[]',
  { name: 'mood', params: [], unsigned: false, text: 'mood', values: ['sad', 'ok', 'happy'], userTypeName: 'mood' },
];

