/**
 * `eventwire test --brokers containers`: the real-broker backend (harness/real/) on throwaway brokers in Docker
 * containers (provider.ts), each run in its own Redis prefix, RabbitMQ vhost and PostgreSQL schema. Loaded by
 * harness/brokers.ts.
 */
import { realBackend } from '../real/suite.ts';
import { containersProvider } from './provider.ts';

export const provider = containersProvider();
export const backend = realBackend('containers');
