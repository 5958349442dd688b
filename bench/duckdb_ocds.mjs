// Peer for bench/ocds_bench.sh: OCDS release JSON Lines to CSV rows with
// DuckDB's read_ndjson: the tender and buyer fields of each release with
// one row per award, and one per contract (with its award's date), the
// fields licit normalise takes from them. DuckDB does not compile the
// releases of a process together (licit does): it does less work.
// With PLAIN as a fourth argument, no join: each release's own awards and
// contracts only (the floor: reading and writing the same fields).
// usage: node bench/duckdb_ocds.mjs INPUT.jsonl THREADS OUTPUT.csv [PLAIN]
import { DuckDBInstance } from '@duckdb/node-api';

const [input, threads, output, plain] = process.argv.slice(2);
if (!input || !threads || !output) {
  console.error('usage: node duckdb_ocds.mjs INPUT.jsonl THREADS OUTPUT.csv');
  process.exit(2);
}
const q = (s) => "'" + s.replaceAll("'", "''") + "'";
const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await db.connect();
await con.run(`CREATE VIEW r AS SELECT * FROM read_ndjson(${q(input)},
  maximum_object_size = 67108864)`);
await con.run(`COPY (
  WITH aw AS (SELECT ocid, unnest(awards) AS a FROM r),
       co AS (SELECT ocid, unnest(contracts) AS c FROM r)
  SELECT r.ocid, r.tender.id AS procedure_id, r.buyer.id AS buyer_id,
         r.buyer.name AS buyer_name, r.tender.procurementMethod AS procedure_type,
         r.tender.procurementMethodDetails AS method_details,
         r.tender.mainProcurementCategory AS contract_type,
         r.tender.tenderPeriod.startDate AS tender_start,
         r.tender.tenderPeriod.endDate AS tender_end,
         r.tender.numberOfTenderers AS n_tenderers,
         NULL AS contract_id, a.id AS award_id, a.date AS award_date, a.status AS status,
         CAST(a.value.amount AS VARCHAR) AS amount, a.value.currency AS currency,
         a.suppliers[1].id AS supplier_id, a.suppliers[1].name AS supplier_name
  FROM ${plain ? '(SELECT *, unnest(awards) AS a FROM r) r' : 'r LEFT JOIN aw USING (ocid)'}
  UNION ALL
  SELECT ocid, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         c.id, c.awardID, c.dateSigned, c.status, CAST(c.value.amount AS VARCHAR),
         c.value.currency, NULL, NULL
  FROM co
) TO ${q(output)} (HEADER, DELIMITER ',')`);
