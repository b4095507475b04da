import { describe, expect, it } from 'vitest';
import { formatRangeInput, parseCustomRange } from '../../renderer/src/range-input.ts';

describe('custom range input', () => {
  it('reads UTC times on a 24-hour clock, with a space or a T', () => {
    expect(parseCustomRange('2026-10-15 00:00', '2026-10-29T18:30')).toEqual({
      ok: true,
      from: Date.UTC(2026, 9, 15),
      to: Date.UTC(2026, 9, 29, 18, 30),
    });
    expect(formatRangeInput(Date.UTC(2026, 9, 15, 13, 5))).toBe('2026-10-15 13:05');
  });

  it('says an inverted range is inverted instead of ignoring it', () => {
    expect(parseCustomRange('2026-10-29 00:00', '2026-10-15 00:00')).toEqual({
      ok: false,
      message: 'The start must be before the end.',
    });
    expect(parseCustomRange('2026-10-15 00:00', '2026-10-15 00:00')).toMatchObject({ ok: false });
  });

  it('says what is missing or unreadable', () => {
    expect(parseCustomRange('', '2026-10-15 00:00')).toEqual({ ok: false, message: 'Give both a start and an end.' });
    expect(parseCustomRange('15/10/2026 3:00 PM', '2026-10-29 00:00')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a UTC time like 2026-10-15 00:00/),
    });
    expect(parseCustomRange('2026-02-31 00:00', '2026-03-02 00:00')).toMatchObject({ ok: false });
  });
});
