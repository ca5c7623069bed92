/** What a store holds while its view is open: API event subscriptions, and a debounced reload. */

/** The subscriptions a store takes once when its view opens and drops together when it closes. */
export interface Subscriptions {
  /** Takes what `subscribe` returns unless some are already held; true when it took them now. */
  take(subscribe: () => Array<() => void>): boolean;
  drop(): void;
}

export function subscriptions(): Subscriptions {
  let stops: Array<() => void> = [];
  return {
    take(subscribe) {
      if (stops.length > 0) return false;
      stops = subscribe();
      return true;
    },
    drop() {
      for (const stop of stops) stop();
      stops = [];
    },
  };
}

/** Calls `fn` once, `ms` after the last call of a burst; `cancel` drops a pending call. */
export function debounced(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return Object.assign(
    () => {
      cancel();
      timer = setTimeout(() => {
        timer = null;
        fn();
      }, ms);
    },
    { cancel },
  );
}
