/** checkup as a library: the same names as the CLI. */
export { Checkup, type CheckupOptions, type CheckOptions, type LoadOptions } from "./checkup.js";
export type { Attempt, Checker, Maintainer, ProvisionInfo, ProvisionOptions, Provisioner, Result, Status, Storage, StorageReader, StoreIndex } from "./types.js";
export { isMaintainer, isProvisioner, isStorageReader } from "./types.js";
export { ConfigError, ExitCode, RuntimeError, UsageError, type Problem } from "./errors.js";
export { parseCheckupConfig, type CheckupConfig } from "./config/checkup-json.js";
export { readConfigFile } from "./config/load.js";
export { parseResults, resultsJson, statusOf, statsOf, median } from "./result.js";
export { parseIndex, indexJson } from "./files/index-file.js";
export { FsStorage, type FsOptions } from "./storage/fs.js";
export { every, parseInterval, runRound, type EveryHandle, type EveryOptions, type RoundReport } from "./schedule/every.js";
export { formatGoDuration, parseDuration } from "./duration.js";
export { nowUnixNanos, type UnixNanos } from "./nanos.js";
export { createChecker } from "./checking/create.js";
export { healthHandler, environmentHandler, type HealthOptions, type HealthReport, type EnvironmentOptions } from "./health/index.js";
export { startServer, type ServeOptions, type RunningServer } from "./serve/server.js";
export type { AlertEvent, Notice, Notifier, NotifierType } from "./notify/index.js";
export { writeStatusPage, type StatusPageOptions } from "./statuspage-site.js";
