// Reads Parquet files with DuckDB and prints, as one JSON object per file on stdout, the columns
// (name and DuckDB type) and every row, so the Go end-to-end tests can compare them with the JSONL.
// Usage: node read.mjs FILE.parquet...
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
for (const path of process.argv.slice(2)) {
  const quoted = path.replaceAll("'", "''");
  const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${quoted}')`);
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => t.toString());
  const columns = names.map((name, i) => ({ name, type: types[i] }));
  const rows = reader.getRowObjectsJson();
  process.stdout.write(JSON.stringify({ path, columns, rows }) + '\n');
}
