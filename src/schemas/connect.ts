import { z } from 'zod';

const endpoint = z.strictObject({ Address: z.string().min(1), Type: z.literal('TELEPHONE_NUMBER') });
const instanceArn = z
  .string()
  .regex(/^arn:aws[\w-]*:connect:[\w-]+:\d{12}:instance\/[\w-]+$/, 'expected an Amazon Connect instance ARN');
const audio = z.looseObject({
  StartFragmentNumber: z.string(),
  StartTimestamp: z.string(),
  StreamARN: z.string(),
  StopFragmentNumber: z.string().optional(),
  StopTimestamp: z.string().optional(),
});

/**
 * An Amazon Connect contact flow ("Invoke AWS Lambda function" block) event. `ContactData` keeps
 * unknown keys: Connect adds contact fields over time.
 *
 * @example
 * ConnectContactFlowEventSchema.parse(connectContactFlowEvent({ channel: 'CHAT' }));
 */
export const ConnectContactFlowEventSchema = z.strictObject({
  Details: z.strictObject({
    ContactData: z.looseObject({
      Attributes: z.record(z.string(), z.string()),
      Channel: z.enum(['VOICE', 'CHAT', 'TASK', 'EMAIL']),
      ContactId: z.uuid(),
      CustomerEndpoint: endpoint.nullable(),
      InitialContactId: z.uuid(),
      InitiationMethod: z.enum([
        'INBOUND',
        'OUTBOUND',
        'TRANSFER',
        'QUEUE_TRANSFER',
        'CALLBACK',
        'API',
        'DISCONNECT',
        'MONITOR',
        'EXTERNAL_OUTBOUND',
      ]),
      InstanceARN: instanceArn,
      LanguageCode: z.string().optional(),
      MediaStreams: z.strictObject({ Customer: z.strictObject({ Audio: audio.nullable() }) }),
      Name: z.literal('ContactFlowEvent').optional(),
      PreviousContactId: z.uuid(),
      Queue: z
        .looseObject({
          ARN: z.string().regex(/:instance\/[\w-]+\/queue\/[\w-]+$/, 'expected a queue ARN'),
          Name: z.string().min(1),
          OutboundCallerId: endpoint.optional(),
        })
        .nullable(),
      SystemEndpoint: endpoint.nullable(),
    }),
    Parameters: z.record(z.string(), z.string()),
  }),
  Name: z.literal('ContactFlowEvent'),
});
