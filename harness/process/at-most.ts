/**
 * Maps items through `work`, at most `limit` at a time, each starting as soon as a slot frees (a work
 * queue, so a slow item holds up only its own slot). Results keep the items' order.
 */
export async function mapAtMost<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const slot = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, slot));
  return results;
}
