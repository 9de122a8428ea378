import type { Callback, Context } from 'aws-lambda';

// A callback-style handler: fine on nodejs20.x/22.x, rejected at init on nodejs24.x.
export const handler = (event: { name: string }, _context: Context, callback: Callback): void => {
  console.log('hello', event.name);
  callback(null, { greeting: `hello ${event.name}` });
};
