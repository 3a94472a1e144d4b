/**
 * `mailgun`: one message per run through Mailgun's HTTP API (checkup's fields: `from`, `to`,
 * `subject`, `apikey`, `domain`; `to` may be a single string, as before 2020). `region: "eu"`
 * or `base_url` picks another API host.
 */
import { oneOf, str, strList, type Raw, type Scope } from "../config/fields.js";
import { baseUrl, joinUrl, postForm } from "../http-client.js";
import { htmlText, plainText, subjectOf } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface MailgunOptions {
  from: string;
  to: string[];
  subject: string;
  apiKey: string;
  domain: string;
  baseUrl: string;
}

const BASE = { us: "https://api.mailgun.net", eu: "https://api.eu.mailgun.net" } as const;

export default {
  parse: (raw: Raw, at: Scope): MailgunOptions => {
    const region = oneOf(raw, "region", at, ["us", "eu"] as const, "us");
    return {
      from: str(raw, "from", at, { required: "the sender, like \"Checkup <checkup@mg.example.com>\"" }),
      to: strList(raw, "to", at, { required: "the recipients, like [\"ops@example.com\"]" }),
      subject: str(raw, "subject", at),
      apiKey: str(raw, "apikey", at, { secret: true, required: "your Mailgun API key" }),
      domain: str(raw, "domain", at, { required: "your Mailgun sending domain, like \"mg.example.com\"" }),
      baseUrl: baseUrl(raw, at, BASE[region]),
    };
  },
  batch: "run",
  format: (notice, o) => [
    ["from", o.from],
    ...o.to.map((to): [string, string] => ["to", to]),
    ["subject", subjectOf(notice, o.subject)],
    ["text", plainText(notice)],
    ["html", htmlText(notice)],
  ] as [string, string][],
  send: async (fields, o, signal) => void await postForm(joinUrl(o.baseUrl, `/v3/${encodeURIComponent(o.domain)}/messages`), fields, signal, {
    headers: { authorization: `Basic ${Buffer.from(`api:${o.apiKey}`).toString("base64")}` },
  }),
} satisfies NotifierType<MailgunOptions, [string, string][]>;
