let count = 0;

/** Next number in this execution environment. */
export function nextId(): number {
  count += 1;
  return count;
}
