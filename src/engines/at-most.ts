/**
 * A gate that lets at most `n` calls run at once, the others waiting their turn in order. Catalog
 * reads go through one: they run side by side for speed, but each query beyond the connections
 * already open makes the pool open another, whose server process starts with cold catalog caches —
 * a plan's introspection on pools of 6 (kept open for the run) took ~150 ms longer than on 2.
 */
export function atMost(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** How many catalog queries of one introspection run at once. */
export const INTROSPECTION_QUERIES_AT_ONCE = 2;
