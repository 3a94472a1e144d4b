/**
 * An in-process queue: work passed to the returned function runs one at a time, in call order.
 * Remote stores (S3, GitHub) use it so concurrent stores from one process do not race each other;
 * what they do across processes is their own business (conditional writes, retries).
 */
export type Serial = <T>(work: () => Promise<T>) => Promise<T>;

export function serial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    // The next caller waits for this one to settle, whether it worked or not.
    tail = run.catch(() => undefined);
    return run;
  };
}
