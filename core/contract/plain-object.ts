/** True for a JSON object (not null, not an array): the shape every untrusted document is checked against first. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
