/** What a JSON request was answered: the status, and the body parsed (as text when it is not JSON, undefined when empty). */
export interface JsonAnswer {
  status: number;
  body: any;
}

/**
 * One request to the API or a sandbox as a test or harness makes it: a JSON body when given,
 * JSON asked for, and the answer read whatever its status (a test judges a 4xx itself).
 */
export async function requestJson(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<JsonAnswer> {
  const response = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body: parsed };
}
