import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected a base64 string');
const brokerArn = z
  .string()
  .regex(
    /^arn:aws[\w-]*:mq:[\w-]+:\d{12}:broker:[\w-]+:b-[0-9a-f-]{36}$/,
    'expected an Amazon MQ broker ARN',
  );

/**
 * One ActiveMQ message as the Amazon MQ event source mapping delivers it (`data` base64).
 *
 * @example
 * ActiveMqMessageSchema.parse(activeMqEvent().messages[0]);
 */
export const ActiveMqMessageSchema = z.strictObject({
  messageID: z.string().startsWith('ID:', 'expected a JMS message id "ID:..."'),
  messageType: z.enum(['jms/text-message', 'jms/bytes-message']),
  deliveryMode: z.union([z.literal(1), z.literal(2)]),
  replyTo: z.string().nullable(),
  type: z.string().nullable(),
  expiration: z.string().regex(/^\d+$/, 'expected epoch ms as a digit string'),
  priority: z.number().int().min(0).max(9),
  correlationId: z.string().nullable(),
  redelivered: z.boolean(),
  destination: z.strictObject({ physicalName: z.string().min(1) }),
  data: base64,
  timestamp: z.number().int().nonnegative(),
  brokerInTime: z.number().int().nonnegative(),
  brokerOutTime: z.number().int().nonnegative(),
  properties: z.record(z.string(), z.string()).optional(),
});

/**
 * An Amazon MQ for ActiveMQ event.
 *
 * @example
 * ActiveMqEventSchema.parse(activeMqEvent({ bodies: ['a', 'b'] }));
 */
export const ActiveMqEventSchema = z.strictObject({
  eventSource: z.literal('aws:mq'),
  eventSourceArn: brokerArn,
  messages: z.array(ActiveMqMessageSchema).min(1),
});

/** A RabbitMQ header value as Lambda delivers it: strings as `{ bytes: [...] }`, numbers and booleans as is. */
const rabbitHeaderValue: z.ZodType = z.lazy(() =>
  z.union([
    z.strictObject({ bytes: z.array(z.number().int().min(0).max(255)) }),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(rabbitHeaderValue),
    z.record(z.string(), rabbitHeaderValue),
  ]),
);

/**
 * One RabbitMQ message as the Amazon MQ event source mapping delivers it.
 *
 * @example
 * RabbitMqMessageSchema.parse(Object.values(rabbitMqEvent().rmqMessagesByQueue)[0]?.[0]);
 */
export const RabbitMqMessageSchema = z
  .strictObject({
    basicProperties: z.strictObject({
      contentType: z.string().nullable(),
      contentEncoding: z.string().nullable(),
      headers: z.record(z.string(), rabbitHeaderValue).nullable(),
      deliveryMode: z.union([z.literal(1), z.literal(2)]).nullable(),
      priority: z.number().int().min(0).max(255).nullable(),
      correlationId: z.string().nullable(),
      replyTo: z.string().nullable(),
      expiration: z.string().nullable(),
      messageId: z.string().nullable(),
      timestamp: z.string().nullable(),
      type: z.string().nullable(),
      userId: z.string().nullable(),
      appId: z.string().nullable(),
      clusterId: z.string().nullable(),
      bodySize: z.number().int().nonnegative(),
    }),
    redelivered: z.boolean(),
    data: base64,
  })
  .refine((m) => Buffer.from(m.data, 'base64').length === m.basicProperties.bodySize, {
    message: 'basicProperties.bodySize must be the byte length of the decoded data',
    path: ['basicProperties', 'bodySize'],
  });

/**
 * An Amazon MQ for RabbitMQ event: messages grouped by `queue::virtual-host`.
 *
 * @example
 * RabbitMqEventSchema.parse(rabbitMqEvent());
 */
export const RabbitMqEventSchema = z.strictObject({
  eventSource: z.literal('aws:rmq'),
  eventSourceArn: brokerArn,
  rmqMessagesByQueue: z
    .record(
      z.string().regex(/^.+::.+$/, 'expected a "queue::virtual-host" key'),
      z.array(RabbitMqMessageSchema).min(1),
    )
    .refine((m) => Object.keys(m).length > 0, 'expected at least one queue'),
});
