/**
 * Calls the backend when `input` changes, after `delayMs` of quiet (debounced), and keeps only the answer to the
 * latest input: a slow answer to an older input never overwrites a newer one. A null input sends nothing.
 */
import { useEffect, useRef, useState } from 'react';
import { errorOf } from '../stores/resource-store.ts';

export function useLatestCall<I, O>(
  input: I | null,
  call: (input: I) => Promise<O>,
  delayMs: number,
): { value: O | null; error: { code: string; message: string } | null; pending: boolean } {
  const [state, setState] = useState<{
    value: O | null;
    error: { code: string; message: string } | null;
    /** The input the value or error answers. */
    answered: string | null;
  }>({ value: null, error: null, answered: null });
  const sequence = useRef(0);
  const key = input === null ? null : JSON.stringify(input);
  useEffect(() => {
    if (key === null) return;
    const mine = ++sequence.current;
    const timer = setTimeout(() => {
      call(JSON.parse(key) as I)
        .then((value) => mine === sequence.current && setState({ value, error: null, answered: key }))
        .catch(
          (caught: unknown) =>
            mine === sequence.current && setState((s) => ({ ...s, error: errorOf(caught), answered: key })),
        );
    }, delayMs);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, delayMs]);
  return { value: state.value, error: state.error, pending: key !== null && state.answered !== key };
}
