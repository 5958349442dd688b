// SELECT DISTINCT over a CSV with DuckDB (the peer of `licit dedupe --level exact`).
// usage: node bench/dedupe_distinct.mjs IN.csv OUT.csv
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const q = (s) => s.replace(/'/g, "''");
await con.run(`COPY (SELECT DISTINCT * FROM read_csv('${q(input)}', header = true, all_varchar = true))
               TO '${q(output)}' (HEADER, DELIMITER ',')`);
const r = await con.runAndReadAll(`SELECT count(*) FROM read_csv('${q(output)}', header = true, all_varchar = true)`);
console.error(`duckdb: ${r.getRows()[0][0]} distinct rows`);
