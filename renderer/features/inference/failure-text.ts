/**
 * How the page states a failure: "CODE: message" when the error carries a stable code (a
 * model's, an engine's, the API's), so the reader can quote it and the log can be searched
 * for it; the message alone otherwise.
 */
export function failureText(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  return typeof code === 'string' && code ? `${code}: ${text}` : text;
}

/** The stable code an error carries, if any. */
export function failureCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
