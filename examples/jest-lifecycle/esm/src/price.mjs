// Replaced with jest.unstable_mockModule in the test.
export function price() {
  return 1;
}
