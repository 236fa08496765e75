// Created by eventwire from asyncapi/analytics.yaml, asyncapi/auth.yaml, asyncapi/catalog.yaml, asyncapi/checkout.yaml, asyncapi/common-operations.yaml, asyncapi/customer.yaml, asyncapi/fulfillment.yaml, asyncapi/location.yaml, asyncapi/loyalty.yaml, asyncapi/notification.yaml, asyncapi/order.yaml, asyncapi/payment.yaml, asyncapi/pricing.yaml, asyncapi/promotion.yaml, asyncapi/return.yaml, asyncapi/review.yaml, asyncapi/search.yaml, asyncapi/shipping.yaml, asyncapi/user.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { CommonOperationsHandlers } from './consumer.ts';

/**
 * Event handlers of the common-operations service. Start them with
 * `startCommonOperationsConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `CommonOperationsHandlers` gains a key and this object stops compiling until
 * you add the handler.
 */
export const handlers: CommonOperationsHandlers = {
  /**
   * Handles `analytics.alert.triggered` from topic `analytics.alert.triggered` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.alert-triggered`.
   */
  async onAlertTriggered(_event, _context) {
    // TODO: Open or update the incident of an alert; page on-call for critical alerts. `_event.data` is
    // the AnalyticsAlertTriggered payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onAlertTriggered is not implemented yet');
  },
  /**
   * Handles `user.account.deactivated` from topic `dlq.account-deactivated` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorAccountDeactivated(_event, _context) {
    // TODO: Record dead letters of `user.account.deactivated` for inspection and replay. `_event.data` is
    // the UserAccountDeactivated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorAccountDeactivated is not implemented yet');
  },
  /**
   * Handles `user.account.password_changed` from topic `dlq.account-password-changed` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorAccountPasswordChanged(_event, _context) {
    // TODO: Record dead letters of `user.account.password_changed` for inspection and replay.
    // `_event.data` is the UserAccountPasswordChanged payload. `_context` has the attempt number, an abort
    // signal and `follow` (publish options that make an event you publish a child of this one). Return
    // normally to acknowledge; throw to retry.
    throw new Error('onDlqMonitorAccountPasswordChanged is not implemented yet');
  },
  /**
   * Handles `location.address.validated` from topic `dlq.address-validated` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorAddressValidated(_event, _context) {
    // TODO: Record dead letters of `location.address.validated` for inspection and replay. `_event.data`
    // is the LocationAddressValidated payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorAddressValidated is not implemented yet');
  },
  /**
   * Handles `analytics.alert.triggered` from topic `dlq.alert-triggered` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorAlertTriggered(_event, _context) {
    // TODO: Record dead letters of `analytics.alert.triggered` for inspection and replay. `_event.data` is
    // the AnalyticsAlertTriggered payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorAlertTriggered is not implemented yet');
  },
  /**
   * Handles `checkout.cart.abandoned` from topic `dlq.cart-abandoned` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorCartAbandoned(_event, _context) {
    // TODO: Record dead letters of `checkout.cart.abandoned` for inspection and replay. `_event.data` is
    // the CheckoutCartAbandoned payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorCartAbandoned is not implemented yet');
  },
  /**
   * Handles `checkout.cart.checked_out` from topic `dlq.cart-checked-out` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorCartCheckedOut(_event, _context) {
    // TODO: Record dead letters of `checkout.cart.checked_out` for inspection and replay. `_event.data` is
    // the CheckoutCartCheckedOut payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorCartCheckedOut is not implemented yet');
  },
  /**
   * Handles `checkout.checkout.started` from topic `dlq.checkout-started` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorCheckoutStarted(_event, _context) {
    // TODO: Record dead letters of `checkout.checkout.started` for inspection and replay. `_event.data` is
    // the CheckoutCheckoutStarted payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorCheckoutStarted is not implemented yet');
  },
  /**
   * Handles `promotions.coupon.redeemed` from topic `dlq.coupon-redeemed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorCouponRedeemed(_event, _context) {
    // TODO: Record dead letters of `promotions.coupon.redeemed` for inspection and replay. `_event.data`
    // is the PromotionsCouponRedeemed payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorCouponRedeemed is not implemented yet');
  },
  /**
   * Handles `customer.customer.created` from topic `dlq.customer-created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorCustomerCreated(_event, _context) {
    // TODO: Record dead letters of `customer.customer.created` for inspection and replay. `_event.data` is
    // the CustomerCustomerCreated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorCustomerCreated is not implemented yet');
  },
  /**
   * Handles `customer.customer.registered` from topic `dlq.customer-registered` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorCustomerRegistered(_event, _context) {
    // TODO: Record dead letters of `customer.customer.registered` for inspection and replay. `_event.data`
    // is the CustomerCustomerRegistered payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorCustomerRegistered is not implemented yet');
  },
  /**
   * Handles `customer.customer.verified` from topic `dlq.customer-verified` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorCustomerVerified(_event, _context) {
    // TODO: Record dead letters of `customer.customer.verified` for inspection and replay. `_event.data`
    // is the CustomerCustomerVerified payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorCustomerVerified is not implemented yet');
  },
  /**
   * Handles `fulfillments.fulfillment.status_changed` from topic `dlq.fulfillment-status-changed`
   * (pub/sub `pubsub`). Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorFulfillmentStatusChanged(_event, _context) {
    // TODO: Record dead letters of `fulfillments.fulfillment.status_changed` for inspection and replay.
    // `_event.data` is the FulfillmentsFulfillmentStatusChanged payload. `_context` has the attempt
    // number, an abort signal and `follow` (publish options that make an event you publish a child of this
    // one). Return normally to acknowledge; throw to retry.
    throw new Error('onDlqMonitorFulfillmentStatusChanged is not implemented yet');
  },
  /**
   * Handles `service.health.check` from topic `dlq.health-check` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorHealthCheck(_event, _context) {
    // TODO: Record dead letters of `service.health.check` for inspection and replay. `_event.data` is the
    // ServiceHealthCheck payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onDlqMonitorHealthCheck is not implemented yet');
  },
  /**
   * Handles `search.index.updated` from topic `dlq.index-updated` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorIndexUpdated(_event, _context) {
    // TODO: Record dead letters of `search.index.updated` for inspection and replay. `_event.data` is the
    // SearchIndexUpdated payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onDlqMonitorIndexUpdated is not implemented yet');
  },
  /**
   * Handles `warehouse.inventory.allocated` from topic `dlq.inventory-allocated` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorInventoryAllocated(_event, _context) {
    // TODO: Record dead letters of `warehouse.inventory.allocated` for inspection and replay.
    // `_event.data` is the WarehouseInventoryAllocated payload. `_context` has the attempt number, an
    // abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onDlqMonitorInventoryAllocated is not implemented yet');
  },
  /**
   * Handles `warehouse.inventory.picked` from topic `dlq.inventory-picked` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorInventoryPicked(_event, _context) {
    // TODO: Record dead letters of `warehouse.inventory.picked` for inspection and replay. `_event.data`
    // is the WarehouseInventoryPicked payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorInventoryPicked is not implemented yet');
  },
  /**
   * Handles `warehouse.inventory.reserved` from topic `dlq.inventory-reserved` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorInventoryReserved(_event, _context) {
    // TODO: Record dead letters of `warehouse.inventory.reserved` for inspection and replay. `_event.data`
    // is the WarehouseInventoryReserved payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorInventoryReserved is not implemented yet');
  },
  /**
   * Handles `warehouse.inventory.restocked` from topic `dlq.inventory-restocked` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorInventoryRestocked(_event, _context) {
    // TODO: Record dead letters of `warehouse.inventory.restocked` for inspection and replay.
    // `_event.data` is the WarehouseInventoryRestocked payload. `_context` has the attempt number, an
    // abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onDlqMonitorInventoryRestocked is not implemented yet');
  },
  /**
   * Handles `notifications.notification.failed` from topic `dlq.notification-failed` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorNotificationFailed(_event, _context) {
    // TODO: Record dead letters of `notifications.notification.failed` for inspection and replay.
    // `_event.data` is the NotificationsNotificationFailed payload. `_context` has the attempt number, an
    // abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onDlqMonitorNotificationFailed is not implemented yet');
  },
  /**
   * Handles `notifications.notification.sent` from topic `dlq.notification-sent` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorNotificationSent(_event, _context) {
    // TODO: Record dead letters of `notifications.notification.sent` for inspection and replay.
    // `_event.data` is the NotificationsNotificationSent payload. `_context` has the attempt number, an
    // abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onDlqMonitorNotificationSent is not implemented yet');
  },
  /**
   * Handles `orders.order.confirmed` from topic `dlq.order-confirmed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorOrderConfirmed(_event, _context) {
    // TODO: Record dead letters of `orders.order.confirmed` for inspection and replay. `_event.data` is
    // the OrdersOrderConfirmed payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorOrderConfirmed is not implemented yet');
  },
  /**
   * Handles `orders.order.created` from topic `dlq.order-created` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorOrderCreated(_event, _context) {
    // TODO: Record dead letters of `orders.order.created` for inspection and replay. `_event.data` is the
    // OrdersOrderCreated payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onDlqMonitorOrderCreated is not implemented yet');
  },
  /**
   * Handles `orders.order.delivered` from topic `dlq.order-delivered` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorOrderDelivered(_event, _context) {
    // TODO: Record dead letters of `orders.order.delivered` for inspection and replay. `_event.data` is
    // the OrdersOrderDelivered payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorOrderDelivered is not implemented yet');
  },
  /**
   * Handles `orders.order.paid` from topic `dlq.order-paid` (pub/sub `pubsub`). Throwing retries the
   * event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorOrderPaid(_event, _context) {
    // TODO: Record dead letters of `orders.order.paid` for inspection and replay. `_event.data` is the
    // OrdersOrderPaid payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onDlqMonitorOrderPaid is not implemented yet');
  },
  /**
   * Handles `orders.order.shipped` from topic `dlq.order-shipped` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorOrderShipped(_event, _context) {
    // TODO: Record dead letters of `orders.order.shipped` for inspection and replay. `_event.data` is the
    // OrdersOrderShipped payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onDlqMonitorOrderShipped is not implemented yet');
  },
  /**
   * Handles `orders.order.status_changed` from topic `dlq.order-status-changed` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorOrderStatusChanged(_event, _context) {
    // TODO: Record dead letters of `orders.order.status_changed` for inspection and replay. `_event.data`
    // is the OrdersOrderStatusChanged payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorOrderStatusChanged is not implemented yet');
  },
  /**
   * Handles `analytics.page.viewed` from topic `dlq.page-viewed` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPageViewed(_event, _context) {
    // TODO: Record dead letters of `analytics.page.viewed` for inspection and replay. `_event.data` is the
    // AnalyticsPageViewed payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPageViewed is not implemented yet');
  },
  /**
   * Handles `payments.payment.authorized` from topic `dlq.payment-authorized` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPaymentAuthorized(_event, _context) {
    // TODO: Record dead letters of `payments.payment.authorized` for inspection and replay. `_event.data`
    // is the PaymentsPaymentAuthorized payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPaymentAuthorized is not implemented yet');
  },
  /**
   * Handles `orders.payment.capture_requested` from topic `dlq.payment-capture-requested` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPaymentCaptureRequested(_event, _context) {
    // TODO: Record dead letters of `orders.payment.capture_requested` for inspection and replay.
    // `_event.data` is the OrdersPaymentCaptureRequested payload. `_context` has the attempt number, an
    // abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onDlqMonitorPaymentCaptureRequested is not implemented yet');
  },
  /**
   * Handles `payments.payment.captured` from topic `dlq.payment-captured` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPaymentCaptured(_event, _context) {
    // TODO: Record dead letters of `payments.payment.captured` for inspection and replay. `_event.data` is
    // the PaymentsPaymentCaptured payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPaymentCaptured is not implemented yet');
  },
  /**
   * Handles `payments.payment.failed` from topic `dlq.payment-failed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPaymentFailed(_event, _context) {
    // TODO: Record dead letters of `payments.payment.failed` for inspection and replay. `_event.data` is
    // the PaymentsPaymentFailed payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPaymentFailed is not implemented yet');
  },
  /**
   * Handles `payments.payment.processed` from topic `dlq.payment-processed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPaymentProcessed(_event, _context) {
    // TODO: Record dead letters of `payments.payment.processed` for inspection and replay. `_event.data`
    // is the PaymentsPaymentProcessed payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPaymentProcessed is not implemented yet');
  },
  /**
   * Handles `payments.payment.refunded` from topic `dlq.payment-refunded` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPaymentRefunded(_event, _context) {
    // TODO: Record dead letters of `payments.payment.refunded` for inspection and replay. `_event.data` is
    // the PaymentsPaymentRefunded payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPaymentRefunded is not implemented yet');
  },
  /**
   * Handles `loyalty.points.earned` from topic `dlq.points-earned` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPointsEarned(_event, _context) {
    // TODO: Record dead letters of `loyalty.points.earned` for inspection and replay. `_event.data` is the
    // LoyaltyPointsEarned payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPointsEarned is not implemented yet');
  },
  /**
   * Handles `loyalty.points.reversed` from topic `dlq.points-reversed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPointsReversed(_event, _context) {
    // TODO: Record dead letters of `loyalty.points.reversed` for inspection and replay. `_event.data` is
    // the LoyaltyPointsReversed payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPointsReversed is not implemented yet');
  },
  /**
   * Handles `catalog.price.changed` from topic `dlq.price-changed` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPriceChanged(_event, _context) {
    // TODO: Record dead letters of `catalog.price.changed` for inspection and replay. `_event.data` is the
    // CatalogPriceChanged payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPriceChanged is not implemented yet');
  },
  /**
   * Handles `pricing.price.recalculation_requested` from topic `dlq.price-recalculation-requested`
   * (pub/sub `pubsub`). Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPriceRecalculationRequested(_event, _context) {
    // TODO: Record dead letters of `pricing.price.recalculation_requested` for inspection and replay.
    // `_event.data` is the PricingPriceRecalculationRequested payload. `_context` has the attempt number,
    // an abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onDlqMonitorPriceRecalculationRequested is not implemented yet');
  },
  /**
   * Handles `pricing.price.updated` from topic `dlq.price-updated` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPriceUpdated(_event, _context) {
    // TODO: Record dead letters of `pricing.price.updated` for inspection and replay. `_event.data` is the
    // PricingPriceUpdated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPriceUpdated is not implemented yet');
  },
  /**
   * Handles `catalog.product.created` from topic `dlq.product-created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorProductCreated(_event, _context) {
    // TODO: Record dead letters of `catalog.product.created` for inspection and replay. `_event.data` is
    // the CatalogProductCreated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorProductCreated is not implemented yet');
  },
  /**
   * Handles `catalog.product.deleted` from topic `dlq.product-deleted` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorProductDeleted(_event, _context) {
    // TODO: Record dead letters of `catalog.product.deleted` for inspection and replay. `_event.data` is
    // the CatalogProductDeleted payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorProductDeleted is not implemented yet');
  },
  /**
   * Handles `catalog.product.updated` from topic `dlq.product-updated` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorProductUpdated(_event, _context) {
    // TODO: Record dead letters of `catalog.product.updated` for inspection and replay. `_event.data` is
    // the CatalogProductUpdated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorProductUpdated is not implemented yet');
  },
  /**
   * Handles `customer.profile.updated` from topic `dlq.profile-updated` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorProfileUpdated(_event, _context) {
    // TODO: Record dead letters of `customer.profile.updated` for inspection and replay. `_event.data` is
    // the CustomerProfileUpdated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorProfileUpdated is not implemented yet');
  },
  /**
   * Handles `promotions.promotion.created` from topic `dlq.promotion-created` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPromotionCreated(_event, _context) {
    // TODO: Record dead letters of `promotions.promotion.created` for inspection and replay. `_event.data`
    // is the PromotionsPromotionCreated payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPromotionCreated is not implemented yet');
  },
  /**
   * Handles `promotions.promotion.expired` from topic `dlq.promotion-expired` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPromotionExpired(_event, _context) {
    // TODO: Record dead letters of `promotions.promotion.expired` for inspection and replay. `_event.data`
    // is the PromotionsPromotionExpired payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPromotionExpired is not implemented yet');
  },
  /**
   * Handles `promotions.promotion.updated` from topic `dlq.promotion-updated` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorPromotionUpdated(_event, _context) {
    // TODO: Record dead letters of `promotions.promotion.updated` for inspection and replay. `_event.data`
    // is the PromotionsPromotionUpdated payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorPromotionUpdated is not implemented yet');
  },
  /**
   * Handles `search.query.performed` from topic `dlq.query-performed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorQueryPerformed(_event, _context) {
    // TODO: Record dead letters of `search.query.performed` for inspection and replay. `_event.data` is
    // the SearchQueryPerformed payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorQueryPerformed is not implemented yet');
  },
  /**
   * Handles `analytics.report.generated` from topic `dlq.report-generated` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorReportGenerated(_event, _context) {
    // TODO: Record dead letters of `analytics.report.generated` for inspection and replay. `_event.data`
    // is the AnalyticsReportGenerated payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorReportGenerated is not implemented yet');
  },
  /**
   * Handles `returns.return.completed` from topic `dlq.return-completed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorReturnCompleted(_event, _context) {
    // TODO: Record dead letters of `returns.return.completed` for inspection and replay. `_event.data` is
    // the ReturnsReturnCompleted payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorReturnCompleted is not implemented yet');
  },
  /**
   * Handles `returns.return.requested` from topic `dlq.return-requested` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorReturnRequested(_event, _context) {
    // TODO: Record dead letters of `returns.return.requested` for inspection and replay. `_event.data` is
    // the ReturnsReturnRequested payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorReturnRequested is not implemented yet');
  },
  /**
   * Handles `reviews.review.created` from topic `dlq.review-created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorReviewCreated(_event, _context) {
    // TODO: Record dead letters of `reviews.review.created` for inspection and replay. `_event.data` is
    // the ReviewsReviewCreated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorReviewCreated is not implemented yet');
  },
  /**
   * Handles `reviews.review.moderated` from topic `dlq.review-moderated` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorReviewModerated(_event, _context) {
    // TODO: Record dead letters of `reviews.review.moderated` for inspection and replay. `_event.data` is
    // the ReviewsReviewModerated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorReviewModerated is not implemented yet');
  },
  /**
   * Handles `operations.service.deployment` from topic `dlq.service-deployment` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorServiceDeployment(_event, _context) {
    // TODO: Record dead letters of `operations.service.deployment` for inspection and replay.
    // `_event.data` is the OperationsServiceDeployment payload. `_context` has the attempt number, an
    // abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onDlqMonitorServiceDeployment is not implemented yet');
  },
  /**
   * Handles `operations.service.error` from topic `dlq.service-error` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorServiceError(_event, _context) {
    // TODO: Record dead letters of `operations.service.error` for inspection and replay. `_event.data` is
    // the OperationsServiceError payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorServiceError is not implemented yet');
  },
  /**
   * Handles `auth.session.ended` from topic `dlq.session-ended` (pub/sub `pubsub`). Throwing retries the
   * event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorSessionEnded(_event, _context) {
    // TODO: Record dead letters of `auth.session.ended` for inspection and replay. `_event.data` is the
    // AuthSessionEnded payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onDlqMonitorSessionEnded is not implemented yet');
  },
  /**
   * Handles `auth.session.started` from topic `dlq.session-started` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorSessionStarted(_event, _context) {
    // TODO: Record dead letters of `auth.session.started` for inspection and replay. `_event.data` is the
    // AuthSessionStarted payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onDlqMonitorSessionStarted is not implemented yet');
  },
  /**
   * Handles `shipping.shipment.created` from topic `dlq.shipment-created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorShipmentCreated(_event, _context) {
    // TODO: Record dead letters of `shipping.shipment.created` for inspection and replay. `_event.data` is
    // the ShippingShipmentCreated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorShipmentCreated is not implemented yet');
  },
  /**
   * Handles `shipping.shipment.delivered` from topic `dlq.shipment-delivered` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorShipmentDelivered(_event, _context) {
    // TODO: Record dead letters of `shipping.shipment.delivered` for inspection and replay. `_event.data`
    // is the ShippingShipmentDelivered payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorShipmentDelivered is not implemented yet');
  },
  /**
   * Handles `operations.task.requested` from topic `dlq.task-requested` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorTaskRequested(_event, _context) {
    // TODO: Record dead letters of `operations.task.requested` for inspection and replay. `_event.data` is
    // the OperationsTaskRequested payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorTaskRequested is not implemented yet');
  },
  /**
   * Handles `loyalty.tier.changed` from topic `dlq.tier-changed` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorTierChanged(_event, _context) {
    // TODO: Record dead letters of `loyalty.tier.changed` for inspection and replay. `_event.data` is the
    // LoyaltyTierChanged payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onDlqMonitorTierChanged is not implemented yet');
  },
  /**
   * Handles `user.account.registered` from topic `dlq.user-registered` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorUserRegistered(_event, _context) {
    // TODO: Record dead letters of `user.account.registered` for inspection and replay. `_event.data` is
    // the UserAccountRegistered payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onDlqMonitorUserRegistered is not implemented yet');
  },
  /**
   * Handles `warehouse.inventory.stock_changed` from topic `dlq.warehouse-stock-changed` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to `dlq.parked`.
   */
  async onDlqMonitorWarehouseStockChanged(_event, _context) {
    // TODO: Record dead letters of `warehouse.inventory.stock_changed` for inspection and replay.
    // `_event.data` is the WarehouseInventoryStockChanged payload. `_context` has the attempt number, an
    // abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onDlqMonitorWarehouseStockChanged is not implemented yet');
  },
  /**
   * Handles `search.index.updated` from topic `search.index.updated` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.index-updated`.
   */
  async onIndexUpdated(_event, _context) {
    // TODO: Close the re-index task named by `task_id`; writes without a task are ignored. `_event.data`
    // is the SearchIndexUpdated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onIndexUpdated is not implemented yet');
  },
  /**
   * Handles `notifications.notification.failed` from topic `notifications.notification.failed` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to `dlq.notification-failed`.
   */
  async onNotificationFailed(_event, _context) {
    // TODO: Track delivery failures per provider and switch a failing provider to its fallback.
    // `_event.data` is the NotificationsNotificationFailed payload. `_context` has the attempt number, an
    // abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onNotificationFailed is not implemented yet');
  },
  /**
   * Handles `analytics.report.generated` from topic `analytics.report.generated` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.report-generated`.
   */
  async onReportGenerated(_event, _context) {
    // TODO: Close the report task named by `task_id` and attach the download link to it. `_event.data` is
    // the AnalyticsReportGenerated payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onReportGenerated is not implemented yet');
  },
  /**
   * Handles `operations.task.requested` from topic `operations.task.requested` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.task-requested`.
   */
  async onTaskRequested(_event, _context) {
    // TODO: Start a queued task in the task runner, or hand it to the service that performs it.
    // `_event.data` is the OperationsTaskRequested payload. `_context` has the attempt number, an abort
    // signal and `follow` (publish options that make an event you publish a child of this one). Return
    // normally to acknowledge; throw to retry.
    throw new Error('onTaskRequested is not implemented yet');
  }
};
