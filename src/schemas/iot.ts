import { z } from 'zod';

/**
 * An AWS IoT rule's Lambda action event: whatever JSON the rule's SQL selects from the MQTT
 * message (an object for `SELECT *`, any JSON value for `SELECT VALUE ...`).
 *
 * @example
 * IotRuleEventSchema.parse(iotRuleEvent());
 */
export const IotRuleEventSchema = z.json();
