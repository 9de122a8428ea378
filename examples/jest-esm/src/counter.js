// Module-level state: kept across warm starts, rebuilt on a cold start.
let count = 0;
console.log('counter module loaded');
export async function handler() {
  count += 1;
  return { count };
}
