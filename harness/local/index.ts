/**
 * `eventwire test --brokers local`: the real-broker backend (harness/real/) on the brokers at REDIS_URL,
 * AMQP_URL and DATABASE_URL. Loaded by harness/brokers.ts.
 */
import { realBackend } from '../real/suite.ts';
import { localBrokers } from './provider.ts';

export const provider = localBrokers();
export const backend = realBackend('local');
