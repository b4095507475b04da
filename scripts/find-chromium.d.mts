/** The Chromium the end-to-end tests drive, or null when the machine has none (scripts/find-chromium.mjs). */
export function findChromium(env?: Readonly<Record<string, string | undefined>>): string | null;
