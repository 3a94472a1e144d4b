/** The SharedStore contract over every storage type that claims `sharesState`, on real servers. */
import path from "node:path";
import { startPostgres } from "../helpers/postgres.js";
import { tmpDir } from "../helpers/tmp.js";
import { sharedContract } from "./shared-contract.js";

const postgres = await startPostgres();

sharedContract("fs", { processes: true, fresh: async () => ({ type: "fs", dir: path.join(await tmpDir(), "checks") }) });
sharedContract("sqlite3", { processes: true, fresh: async () => ({ type: "sqlite3", dsn: path.join(await tmpDir(), "checkup.db"), create: true }) });
sharedContract("sql (sqlite_db_file)", { processes: true, fresh: async () => ({ type: "sql", sqlite_db_file: path.join(await tmpDir(), "legacy.db"), create: true }) });
sharedContract("postgres", { processes: true, fresh: async () => ({ type: "postgres", dsn: await postgres.newDatabase(), create: true }) });
