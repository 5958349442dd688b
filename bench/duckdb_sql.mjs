// Runs one SQL statement with DuckDB (@duckdb/node-api) on THREADS threads:
// the peer runner of bench/run.sh. The statement names its own input and
// output (COPY ... TO '/dev/null').
// usage: node bench/duckdb_sql.mjs THREADS 'SQL'
import { DuckDBInstance } from '@duckdb/node-api';

const [threads, sql] = process.argv.slice(2);
if (!threads || !sql) {
  console.error("usage: node duckdb_sql.mjs THREADS 'SQL'");
  process.exit(2);
}
const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await db.connect();
await con.run(sql);
