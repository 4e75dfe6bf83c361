/**
 * Shares one running task between concurrent callers that ask for the same key, so two imports
 * of the same file in one build (or two assets sharing a file) download it once.
 *
 * Each caller may bring its own AbortSignal: aborting it rejects that caller at once, and the
 * shared task itself is aborted only when every caller waiting on it has given up, and that last
 * caller's rejection waits until the task has finished tearing down. Progress
 * events are fanned out to every caller still waiting (a late joiner misses earlier events).
 */
interface Job {
  promise: Promise<unknown>;
  controller: AbortController;
  waiters: number;
  listeners: Set<(bytes: number) => void>;
}

const jobs = new Map<string, Job>();

/** Runs `start` unless a task for `key` is already running, and waits for that task. */
export function joinInFlight<T>(
  key: string,
  start: (signal: AbortSignal, emit: (bytes: number) => void) => Promise<T>,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<T> {
  const { signal, onBytes } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  let job = jobs.get(key);
  if (!job) job = startJob(key, start);
  const current = job;
  current.waiters++;
  if (onBytes) current.listeners.add(onBytes);
  return new Promise<T>((resolve, reject) => {
    let left = false;
    const leave = (): void => {
      if (left) return; // an abort racing the settlement must not count this caller twice
      left = true;
      signal?.removeEventListener("abort", onAbort);
      if (onBytes) current.listeners.delete(onBytes);
      current.waiters--;
    };
    const onAbort = (): void => {
      if (left) return;
      leave();
      const fail = (): void => reject(signal?.reason);
      if (current.waiters > 0) {
        fail();
        return;
      }
      // Nobody wants the result any more: stop the task, and make sure a new caller starts
      // afresh rather than joining a task that is being torn down. The last caller settles only
      // once the task has cleaned up (temp files removed), so "rejected" means "all tidy".
      if (jobs.get(key) === current) jobs.delete(key);
      current.controller.abort(signal?.reason);
      current.promise.then(fail, fail);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    current.promise.then(
      (value) => {
        leave();
        resolve(value as T);
      },
      (error: unknown) => {
        leave();
        reject(error);
      },
    );
  });
}

function startJob<T>(key: string, start: (signal: AbortSignal, emit: (bytes: number) => void) => Promise<T>): Job {
  const controller = new AbortController();
  const listeners = new Set<(bytes: number) => void>();
  const emit = (bytes: number): void => {
    for (const listener of listeners) listener(bytes);
  };
  // Deferred a tick so the job is registered before `start` can run anything synchronous.
  const promise = Promise.resolve().then(() => start(controller.signal, emit));
  const job: Job = { promise, controller, waiters: 0, listeners };
  jobs.set(key, job);
  const drop = (): void => {
    if (jobs.get(key) === job) jobs.delete(key);
  };
  promise.then(drop, drop); // this branch also keeps a rejection with no waiters "handled"
  return job;
}
