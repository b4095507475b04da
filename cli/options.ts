import { InvalidArgumentError } from 'commander';

/** Commander argument parsers that reject bad flags with a message naming the flag's rule. */
export function integerOption(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new InvalidArgumentError(`expected an integer, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got ${raw}`);
    return value;
  };
}

export function numberOption(min: number, max: number = Number.POSITIVE_INFINITY) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`expected a number, got "${raw}"`);
    if (value < min || value > max)
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}, got ${raw}`);
    return value;
  };
}

export function choiceOption<T extends string>(choices: readonly T[]) {
  return (raw: string): T => {
    if (!(choices as readonly string[]).includes(raw)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  };
}

/** Parses an ISO 8601 date or date-time (`2026-11-21` or `2026-11-21T10:00:00Z`) into epoch milliseconds. */
export function timeOption(raw: string): number {
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
  const value = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (!iso.test(raw) || Number.isNaN(value)) {
    throw new InvalidArgumentError(
      `expected an ISO 8601 date or time such as 2026-11-21 or 2026-11-21T10:00:00Z, got "${raw}"`,
    );
  }
  return value;
}
