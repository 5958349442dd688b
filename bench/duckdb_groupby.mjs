// Peer for bench/kpi_bench.sh: contracts and summed amount per buyer_id
// with DuckDB (GROUP BY), written as CSV buyer_id,contracts,amount.
// usage: node bench/duckdb_groupby.mjs INPUT.csv THREADS OUTPUT.csv
import { DuckDBInstance } from '@duckdb/node-api';

const [input, threads, output] = process.argv.slice(2);
if (!input || !threads || !output) {
  console.error('usage: node duckdb_groupby.mjs INPUT.csv THREADS OUTPUT.csv');
  process.exit(2);
}
const q = (s) => "'" + s.replaceAll("'", "''") + "'";
const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await db.connect();
// every column as text, as licit reads it; amount summed as DOUBLE
await con.run(`COPY (
  SELECT buyer_id, count(*) AS contracts, sum(CAST(amount AS DOUBLE)) AS amount
  FROM read_csv(${q(input)}, header = true, all_varchar = true)
  GROUP BY buyer_id ORDER BY buyer_id
) TO ${q(output)} (HEADER, DELIMITER ',')`);
