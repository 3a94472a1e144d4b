/** must_contain / must_not_contain, as http, exec and websocket read a body or output. */
/** checkup's texts for a body that fails must_contain / must_not_contain. */
export function contentError(o: { mustContain: string; mustNotContain: string }, body: string): string | undefined {
  if (o.mustContain && !body.includes(o.mustContain)) return `response does not contain '${o.mustContain}'`;
  if (o.mustNotContain && body.includes(o.mustNotContain)) return `response contains '${o.mustNotContain}'`;
  return undefined;
}
