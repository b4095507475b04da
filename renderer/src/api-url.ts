/** What is wrong with an API URL typed in the form, in words; null when it can be saved. */
export function urlProblem(text: string): string | null {
  const url = text.trim();
  if (url === '') return 'Give the URL of the scoring API, e.g. http://127.0.0.1:8080.';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL: write it in full with http:// or https://, e.g. http://127.0.0.1:8080.`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `"${url}" is not an http:// or https:// address: the console pulls the scoring API over HTTP.`;
  }
  return null;
}
