// A client written as a user would write it against the generated types: no `!` and no `?.` on members
// the document marks required. tsc --strict must accept it unedited (check.sh); if the document loosened a
// required member again (or made it nullable), this file would stop compiling.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema";

type Schemas = components["schemas"];

// run.mjs sets the base URL of a live API; the type check never calls it.
const baseUrl = (globalThis as { BILATERAL_API?: string }).BILATERAL_API ?? "http://localhost:5000";
// Lists also answer text/csv and application/x-ndjson (strings); this client reads JSON answers and JSON
// problems, and says so, so that each answer is typed as the JSON it receives.
const client = createClient<paths, "application/json" | "application/problem+json">({ baseUrl });

export async function eventsOfThePair(): Promise<string[]> {
  const list = await client.GET("/v1/events", { params: { query: { pair: "AZE,ISR", limit: 2 } } });
  if (!list.data) {
    throw new Error(list.error.title ?? "request failed");
  }
  const page: Schemas["EventResponseListPage"] = list.data;
  const limit: number = page.page.limit;
  // Optional members stay optional (absent on the last page), never null.
  const next: string | undefined = page.page.nextCursor;
  const first = page.items[0];
  const title: string = first.title;
  const day: string = first.date.value;
  const quad: number = first.quad;
  const version: number = first.version;
  const role: string = first.participants[0].role;
  const source: string = first.citations[0].sourceId;
  // Nullable members are present and say so.
  const summary: string | null = first.summary;
  const where: string | null = first.location?.place ?? null;
  return [String(limit), next ?? "", title, day, String(quad), String(version), role, source, summary ?? "", where ?? ""];
}

export async function sparseTitles(): Promise<string[]> {
  const list = await client.GET("/v1/events", { params: { query: { fields: "id,title" } } });
  if (!list.data) {
    return [];
  }
  // With fields= the items are partial: the document names the page schema on the fields parameter.
  const sparse = list.data as Schemas["EventResponsePartialListPage"];
  return sparse.items.map((item) => item.title ?? "");
}

export async function oneAgreement(id: string): Promise<string> {
  const answer = await client.GET("/v1/agreements/{id}", { params: { path: { id } } });
  if (!answer.data) {
    throw new Error(answer.error.title ?? "request failed");
  }
  const agreement: Schemas["AgreementResponse"] = answer.data;
  return `${agreement.title} (${agreement.parties.length} parties, ${agreement.parties[0].role}, ${agreement.status})`;
}

export async function createEvent(body: Schemas["EventWrite"]): Promise<number> {
  const created = await client.POST("/v1/events", { body });
  return created.data ? created.data.version : 0;
}

export async function renameEvent(id: string, etag: string): Promise<string> {
  // A merge patch names only what changes: no other member is required.
  const patch: Schemas["EventPatch"] = { title: "A new title" };
  const changed = await client.PATCH("/v1/events/{id}", {
    params: { path: { id }, header: { "If-Match": etag } },
    body: patch,
    headers: { "Content-Type": "application/merge-patch+json" },
  });
  return changed.data ? changed.data.title : "";
}

export async function tradeTotals(): Promise<number> {
  const list = await client.GET("/v1/trade-records", { params: { query: { limit: 5 } } });
  return (list.data?.items ?? []).reduce((sum, row) => sum + row.year, 0);
}

// A write needs what the validators require, and nothing more.
export const minimalEvent: Schemas["EventWrite"] = {
  title: "Azerbaijan opens its embassy in Tel Aviv",
  date: { value: "2023-03-29" },
  type: "SUPPORT",
  participants: [{ role: "actor", country: "AZE" }],
  verification: "official",
  citations: [{ sourceId: "seed-article", supports: "asserts" }],
};
