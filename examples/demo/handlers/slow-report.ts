// A handler that waits ten minutes for a report: longer than its timeout allows.
export const handler = async (): Promise<string> => {
  console.log('waiting for the report...');
  await new Promise((resolve) => setTimeout(resolve, 10 * 60 * 1000));
  return 'report ready';
};
