/**
 * The few GitHub Contents API calls the `github` storage makes, through Octokit (imported on first
 * use, so validating a config never loads it). Every write is a commit on the branch and is
 * guarded by the file's blob sha; a write that lost a race throws GithubConflict so the caller can
 * re-read and try again.
 */
import type { Octokit } from "@octokit/rest";
import { messageOf } from "../errors.js";
import { importPackage } from "../optional-package.js";
import { retryRaces } from "./retry.js";

export interface GithubTarget {
  accessToken: string;
  owner: string;
  repo: string;
  /** "" = the repository's default branch. */
  branch: string;
  committerName: string;
  committerEmail: string;
  /** Appended to commit messages; checkup's default `[ci skip]` keeps CI from running per round. */
  commitMessageSuffix: string;
  /** The API root ("" = api.github.com); GitHub Enterprise: https://<host>/api/v3. */
  baseUrl: string;
}

export interface RepoFile {
  text: string;
  sha: string;
}

/** `exists`: a create found the file there (422). `changed`: the file or branch moved on (409). */
export class GithubConflict extends Error {
  constructor(readonly kind: "exists" | "changed", message: string) {
    super(message);
    this.name = "GithubConflict";
  }
}

/** No single call should hang a round: GitHub answers in well under a second normally. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Runs `work` again while it loses races (conflicts of kind `only`, if given); `work` must re-read what it depends on. */
export function retryConflicts<T>(work: () => Promise<T>, attempts = 8, only?: GithubConflict["kind"]): Promise<T> {
  return retryRaces(work, (e) => e instanceof GithubConflict && (!only || e.kind === only), attempts);
}

const HINTS: Record<number, string> = {
  401: "check storage.access_token",
  403: "the token may not write here: it needs the repo scope (classic) or Contents read and write (fine-grained)",
  404: "check storage.repository_owner, repository_name and branch, and that the token can see the repository",
};

export class ContentsApi {
  constructor(private readonly octokit: Octokit, private readonly t: GithubTarget) {}

  private get repo() {
    return { owner: this.t.owner, repo: this.t.repo };
  }

  private request() {
    return { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
  }

  private fail(method: string, path: string, e: unknown): Error {
    const status = (e as { status?: number }).status;
    const hint = status === undefined ? undefined : HINTS[status];
    const what = status === undefined ? messageOf(e) : `HTTP ${status}: ${messageOf(e)}`;
    return new Error(`github ${method} ${this.t.owner}/${this.t.repo}/${path}: ${what}${hint ? ` (${hint})` : ""}`, { cause: e });
  }

  private message(verb: "store" | "delete", path: string): string {
    return `[checkup] ${verb} ${path} ${this.t.commitMessageSuffix}`.trimEnd();
  }

  private get committer() {
    return this.t.committerName && this.t.committerEmail
      ? { committer: { name: this.t.committerName, email: this.t.committerEmail } } : {};
  }

  /** A file's text and sha on the branch, or undefined when it does not exist. */
  async read(path: string): Promise<RepoFile | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getContent({
        ...this.repo, path, ...(this.t.branch ? { ref: this.t.branch } : {}), request: this.request(),
      });
      if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file, found a folder");
      // Files over 1 MB come without content: fetch the blob instead.
      const base64 = data.encoding === "base64" ? data.content : (await this.octokit.rest.git.getBlob({
        ...this.repo, file_sha: data.sha, request: this.request(),
      })).data.content;
      return { text: Buffer.from(base64, "base64").toString("utf8"), sha: data.sha };
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw this.fail("GET", path, e);
    }
  }

  /** The files in a folder (the API lists up to 1,000), or [] when it does not exist. */
  async list(path: string): Promise<{ name: string; sha: string }[]> {
    try {
      const { data } = await this.octokit.rest.repos.getContent({
        ...this.repo, path, ...(this.t.branch ? { ref: this.t.branch } : {}), request: this.request(),
      });
      return Array.isArray(data) ? data.filter((e) => e.type === "file").map((e) => ({ name: e.name, sha: e.sha })) : [];
    } catch (e) {
      if ((e as { status?: number }).status === 404) return [];
      throw this.fail("GET", path, e);
    }
  }

  /** Creates the file (no sha) or replaces the version `sha`. Returns the new sha. */
  async write(path: string, text: string, sha: string | undefined): Promise<string> {
    try {
      const { data } = await this.octokit.rest.repos.createOrUpdateFileContents({
        ...this.repo, path, message: this.message("store", path), content: Buffer.from(text).toString("base64"),
        ...(sha ? { sha } : {}), ...(this.t.branch ? { branch: this.t.branch } : {}), ...this.committer,
        request: this.request(),
      });
      return data.content?.sha ?? "";
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 409) throw new GithubConflict("changed", `${path} changed while checkup was writing it`);
      if (status === 422 && !sha) throw new GithubConflict("exists", `${path} already exists`);
      throw this.fail("PUT", path, e);
    }
  }

  /** Deletes the version `sha` of a file; a file that is already gone is fine. */
  async remove(path: string, sha: string): Promise<void> {
    try {
      await this.octokit.rest.repos.deleteFile({
        ...this.repo, path, message: this.message("delete", path), sha,
        ...(this.t.branch ? { branch: this.t.branch } : {}), ...this.committer, request: this.request(),
      });
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 404) return;
      if (status === 409) throw new GithubConflict("changed", `${path} changed while checkup was deleting it`);
      throw this.fail("DELETE", path, e);
    }
  }
}

export async function contentsApi(t: GithubTarget): Promise<ContentsApi> {
  const { Octokit } = await importPackage(() => import("@octokit/rest"), "@octokit/rest", "the github storage");
  const octokit = new Octokit({
    auth: t.accessToken,
    userAgent: "checkup",
    ...(t.baseUrl ? { baseUrl: t.baseUrl.replace(/\/+$/, "") } : {}),
    // Octokit logs every failed request, including the expected 404s and 409s handled here.
    log: { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} },
  });
  return new ContentsApi(octokit, t);
}
