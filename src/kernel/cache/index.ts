/**
 * Reference data remembered on this node for a short while: service items, divisions, the latest
 * version of a process definition — rows that change a few times a year but are read on every
 * application, where each statement saved is a round trip to the database saved. A change reaches
 * every node within `ms`; callers say in a comment why that delay is harmless where they use it.
 *
 * Loads are shared: callers asking for the same key while it loads wait for the same promise, and a
 * load that fails is forgotten at once, so an error is never remembered.
 */
export interface ShortLived<V> {
  get(key: string): Promise<V>;
  /** Forgets one key (after a write on this node), or everything. */
  forget(key?: string): void;
}

export function shortLived<V>(
  ms: number,
  load: (key: string) => Promise<V>,
  options: { max?: number; now?: () => number } = {},
): ShortLived<V> {
  const max = options.max ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<V> }>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (hit && now() - hit.at < ms) return hit.value;
      // The oldest entry goes first when full (a Map iterates in insertion order, and a refreshed
      // key is inserted again).
      entries.delete(key);
      if (entries.size >= max) entries.delete(entries.keys().next().value!);
      const value = load(key);
      const entry = { at: now(), value };
      entries.set(key, entry);
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    forget(key) {
      if (key === undefined) entries.clear();
      else entries.delete(key);
    },
  };
}
