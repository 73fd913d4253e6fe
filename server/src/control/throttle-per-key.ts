/**
 * Runs `work(key)` at once on the first call for a key, then at most once per `intervalMs`:
 * calls inside the window fold into one run at its end. Used where a burst of events (500
 * phones joining within seconds) would otherwise send the same growing list 500 times.
 */
export function throttlePerKey(
  intervalMs: number,
  work: (key: string) => Promise<void>,
  onError: (error: unknown, key: string) => void,
): (key: string) => void {
  const windows = new Map<string, { again: boolean }>();
  const run = (key: string) => void work(key).catch((error: unknown) => onError(error, key));
  const close = (key: string) => {
    const window = windows.get(key);
    windows.delete(key);
    if (window?.again) open(key);
  };
  const open = (key: string) => {
    windows.set(key, { again: false });
    run(key);
    setTimeout(() => close(key), intervalMs).unref();
  };
  return (key) => {
    const window = windows.get(key);
    if (window) window.again = true;
    else open(key);
  };
}
