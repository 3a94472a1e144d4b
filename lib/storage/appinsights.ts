/**
 * `appinsights`: each result becomes an Azure Application Insights *availability* item, with
 * checkup's fields and meanings. Write-only: nothing is read back or maintained. Items are posted
 * to the ingestion endpoint's `/v2/track` as the documented envelope, without the Azure SDK.
 */
import { int, isRaw, seconds, shown, str, url, type Raw, type Scope } from "../config/fields.js";
import { formatGoDuration, MAX_TIMEOUT, SECOND } from "../duration.js";
import { nowUnixNanos, unixNanosToDate, type UnixNanos } from "../nanos.js";
import { postJson, joinUrl } from "../http-client.js";
import { statsOf, statusOf } from "../result.js";
import type { Result, Storage } from "../types.js";
import { checkFileName } from "../files/index-file.js";
import type { StorageType } from "../plugin-types.js";

export const DEFAULT_ENDPOINT = "https://dc.services.visualstudio.com";
/** Retries of one send; more would hold the round long after the service is plainly down. */
const MAX_RETRIES = 10;

export interface AppInsightsOptions {
  instrumentationKey: string;
  /** The item's run location. */
  testLocation: string;
  /** Custom dimensions added to every item. */
  tags: Record<string, string>;
  /** Further tries after a failed send. */
  maxRetries: number;
  /** Wait between tries. Whole seconds. */
  retryInterval: number;
  /** Limit for one send. Whole seconds. */
  timeout: number;
  /** Ingestion URL (extension: regional endpoints, proxies, tests). */
  endpoint: string;
}

/** .NET TimeSpan text, "d.hh:mm:ss.fff", which the ingestion API expects for durations. */
export function timeSpan(ns: number): string {
  const ms = Math.max(0, Math.trunc(ns / 1e6));
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const s = Math.trunc(ms / 1000);
  return `${Math.trunc(s / 86400)}.${pad(Math.trunc(s / 3600) % 24)}:${pad(Math.trunc(s / 60) % 60)}:${pad(s % 60)}.${pad(ms % 1000, 3)}`;
}

/** One availability item for one result (checkup's mapping). Pure. */
export function availabilityEnvelope(r: Result, o: AppInsightsOptions): object {
  const measurements: Record<string, number> = {};
  r.times.forEach((a, i) => (measurements[String(i)] = a.rtt));
  return {
    name: "Microsoft.ApplicationInsights.Availability",
    time: unixNanosToDate(r.timestamp).toISOString(),
    iKey: o.instrumentationKey,
    data: {
      baseType: "AvailabilityData",
      baseData: {
        ver: 2,
        id: r.timestamp.toString(),
        name: r.title ?? "",
        duration: timeSpan(statsOf(r.times).mean),
        success: r.healthy === true,
        runLocation: o.testLocation,
        message: r.notice ? `${statusOf(r)} - ${r.notice}` : statusOf(r),
        properties: { ...o.tags, ThresholdRTT: formatGoDuration(r.threshold ?? 0) },
        measurements,
      },
    },
  };
}

interface TrackResponse {
  itemsAccepted?: number;
  errors?: { index: number; message?: string }[];
}

export class AppInsightsStorage implements Storage {
  readonly type = "appinsights";
  constructor(readonly options: AppInsightsOptions) {}

  /** Sends one item per result; what fails or is rejected is sent again up to max_retries times. */
  async store(results: Result[], at: UnixNanos = nowUnixNanos()): Promise<string> {
    const o = this.options;
    let pending = results.map((r) => availabilityEnvelope(r, o));
    for (let attempt = 0; pending.length > 0; attempt++) {
      let problem: string;
      try {
        const { rejected, detail } = await this.send(pending);
        problem = `${rejected.length} of ${pending.length} items rejected: ${detail}`;
        pending = rejected;
        if (pending.length === 0) break;
      } catch (e) {
        problem = (e as Error).message;
      }
      if (attempt >= o.maxRetries) {
        const tries = o.maxRetries > 0 ? ` after ${o.maxRetries + 1} tries` : "";
        throw new Error(`appinsights: telemetry not accepted${tries}: ${problem}`);
      }
      await new Promise((resolve) => setTimeout(resolve, o.retryInterval * 1000));
    }
    return checkFileName(at);
  }

  /** One POST; resolves with the items the service did not accept (by the answer's `errors[].index`). */
  private async send(items: object[]): Promise<{ rejected: object[]; detail: string }> {
    const text = await postJson(joinUrl(this.options.endpoint, "/v2/track"), items, AbortSignal.timeout(this.options.timeout * 1000));
    let answer: TrackResponse = {};
    try {
      answer = JSON.parse(text) as TrackResponse;
    } catch {
      // A 2xx without a JSON body: take it as accepted.
    }
    if (answer.itemsAccepted === undefined || answer.itemsAccepted >= items.length) return { rejected: [], detail: "" };
    const named = (answer.errors ?? []).map((err) => items[err.index]).filter((x): x is object => x !== undefined);
    return { rejected: named.length > 0 ? named : items, detail: answer.errors?.[0]?.message ?? "no reason given" };
  }
}

function stringRecord(raw: Raw, key: string, at: Scope): Record<string, string> {
  at.describe(key, { type: "object", additionalProperties: { type: "string" }, examples: [{ env: "prod" }] });
  const v = raw[key];
  at.used.add(key);
  if (v === undefined || v === null) return {};
  if (!isRaw(v) || !Object.values(v).every((x) => typeof x === "string")) {
    at.problem(key, `expected an object of strings like {"env": "prod"}, got ${shown(v)}`);
    return {};
  }
  return v as Record<string, string>;
}

export default {
  parse: (raw: Raw, at: Scope): AppInsightsOptions => ({
    instrumentationKey: str(raw, "instrumentation_key", at, { secret: true, required: "the Application Insights instrumentation key (a GUID)" }),
    testLocation: str(raw, "test_location", at, { default: "Checkup Monitor" }),
    tags: stringRecord(raw, "tags", at),
    maxRetries: int(raw, "max_retries", at, { default: 0, min: 0, max: MAX_RETRIES }),
    retryInterval: seconds(raw, "retry_interval", at, { default: 0, max: MAX_TIMEOUT / SECOND }),
    timeout: seconds(raw, "timeout", at, { default: 2, min: 1, max: MAX_TIMEOUT / SECOND }),
    endpoint: url(raw, "endpoint", at, { example: DEFAULT_ENDPOINT, optional: true }) || DEFAULT_ENDPOINT,
  }),
  create: async (o: AppInsightsOptions) => new AppInsightsStorage(o),
} satisfies StorageType<AppInsightsOptions>;
