// One counter for every stand-in running in a process: each records the number it drew with a
// request, so a test can order requests across services (an ack on W&B before a Create on
// Vertex) where millisecond timestamps tie.
let last = 0;

export function nextSequence(): number {
  return ++last;
}
