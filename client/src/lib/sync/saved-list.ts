/**
 * A list kept in IndexedDB under one key: the outbox of one person on one board. IndexedDB, not
 * localStorage, because a day offline may hold hundreds of intents and localStorage blocks the
 * page on every write.
 */
const DB_NAME = 'kaptar:outbox';
const STORE = 'lists';

let opened: Promise<IDBDatabase> | undefined;

function database(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return database().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const request = work(db.transaction(STORE, mode).objectStore(STORE));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      }),
  );
}

export function loadList<T>(key: string): Promise<T[]> {
  return run<T[] | undefined>('readonly', (store) => store.get(key)).then((value) => value ?? []);
}

export function saveList<T>(key: string, list: readonly T[]): Promise<void> {
  return run('readwrite', (store) => store.put([...list], key)).then(() => undefined);
}
