/**
 * `eventwire/testing`: test doubles a team's own tests can start. The fake Dapr sidecar follows daprd's pub/sub
 * behaviour as read from Dapr's source (harness/testing/dapr-sidecar/README.md lists each behaviour, where
 * daprd does it, and the test that holds the fake to it).
 */
export {
  type DeliveryAttempt,
  FakeSidecar,
  type FakeSidecarOptions,
  type FinalOutcome,
  type PublishedEvent,
  type RetryPolicy,
} from './dapr-sidecar/sidecar.ts';
