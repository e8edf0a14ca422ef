/**
 * Talking to the JSON API from the doctor view: same-origin fetch with the session cookie,
 * problem+json turned into one readable sentence. A network failure rejects (the caller decides
 * whether to retry); an HTTP error resolves with ok: false.
 */

/** Bodies larger than this are sent without keepalive (browsers cap keepalive bodies near 64 KB). */
const KEEPALIVE_LIMIT = 60_000;

/** Sends `body` as JSON; resolves `{ ok, status, data }`. `keepalive` lets the request outlive the page. */
export async function send(method, url, body, { keepalive = false } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    body: payload,
    keepalive: keepalive && (payload?.length ?? 0) < KEEPALIVE_LIMIT,
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  return { ok: response.ok, status: response.status, data };
}

/** "Medicine 1: the dose is required" from a field path such as `items.0.dose`. */
function readablePath(path) {
  const item = /^(items|tests|diagnoses|meals)\.(\d+)\.?(.*)$/.exec(path);
  if (item) {
    const names = { items: 'Medicine', tests: 'Test', diagnoses: 'Diagnosis', meals: 'Meal' };
    return `${names[item[1]]} ${Number(item[2]) + 1}${item[3] ? ` ${item[3]}` : ''}`;
  }
  return path.replace(/^(vitals|soap|followUp|targets)\./, '');
}

/** One sentence for the doctor from a failed answer. */
export function problemText(result) {
  const data = result.data ?? {};
  if (Array.isArray(data.errors) && data.errors.length > 0) {
    return data.errors
      .map((error) => (error.path ? `${readablePath(error.path)}: ${error.message}` : error.message))
      .join('. ');
  }
  if (result.status === 401)
    return 'You have been signed out. Sign in again in a new tab; this page keeps what you typed.';
  return data.detail ?? `The server answered ${result.status}. Try again.`;
}

/** The text of a form field, trimmed ('' when absent). */
export function field(form, name) {
  const element = form.elements.namedItem(name);
  return element && 'value' in element ? element.value.trim() : '';
}

/** A number from a form field, or undefined when blank. */
export function numberField(form, name) {
  const text = field(form, name);
  return text === '' ? undefined : Number(text);
}
