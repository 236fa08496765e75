// Created by eventwire from asyncapi/analytics.yaml, asyncapi/auth.yaml, asyncapi/checkout.yaml, asyncapi/common-operations.yaml, asyncapi/customer.yaml, asyncapi/loyalty.yaml, asyncapi/notification.yaml, asyncapi/order.yaml, asyncapi/payment.yaml, asyncapi/promotion.yaml, asyncapi/return.yaml, asyncapi/search.yaml, asyncapi/shipping.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { AnalyticsHandlers } from './consumer.ts';

/**
 * Event handlers of the analytics service. Start them with `startAnalyticsConsumer(runtime,
 * handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `AnalyticsHandlers` gains a key and this object stops compiling until you add
 * the handler.
 */
export const handlers: AnalyticsHandlers = {
  /**
   * Handles `checkout.cart.abandoned` from topic `checkout.cart.abandoned` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.cart-abandoned`.
   */
  async onCartAbandoned(_event, _context) {
    // TODO: Count abandoned carts per checkout stage. `_event.data` is the CheckoutCartAbandoned payload.
    // `_context` has the attempt number, an abort signal and `follow` (publish options that make an event
    // you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onCartAbandoned is not implemented yet');
  },
  /**
   * Handles `promotions.coupon.redeemed` from topic `promotions.coupon.redeemed` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.coupon-redeemed`.
   */
  async onCouponRedeemed(_event, _context) {
    // TODO: Measure the uptake and cost of each promotion. `_event.data` is the PromotionsCouponRedeemed
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onCouponRedeemed is not implemented yet');
  },
  /**
   * Handles `customer.customer.registered` from topic `customer.customer.registered` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.customer-registered`.
   */
  async onCustomerRegistered(_event, _context) {
    // TODO: Count sign-ups per source. `_event.data` is the CustomerCustomerRegistered payload. `_context`
    // has the attempt number, an abort signal and `follow` (publish options that make an event you publish
    // a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onCustomerRegistered is not implemented yet');
  },
  /**
   * Handles `service.health.check` from topic `service.health.check` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.health-check`.
   */
  async onHealthCheck(_event, _context) {
    // TODO: Track each service's health over time; repeated failures raise an alert. `_event.data` is the
    // ServiceHealthCheck payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onHealthCheck is not implemented yet');
  },
  /**
   * Handles `warehouse.inventory.allocated` from topic `warehouse.inventory.allocated` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to `dlq.inventory-allocated`.
   */
  async onInventoryAllocated(_event, _context) {
    // TODO: Measure time from reservation to allocation per warehouse. `_event.data` is the
    // WarehouseInventoryAllocated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onInventoryAllocated is not implemented yet');
  },
  /**
   * Handles `warehouse.inventory.picked` from topic `warehouse.inventory.picked` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.inventory-picked`.
   */
  async onInventoryPicked(_event, _context) {
    // TODO: Measure picking time and short picks per warehouse. `_event.data` is the
    // WarehouseInventoryPicked payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onInventoryPicked is not implemented yet');
  },
  /**
   * Handles `notifications.notification.sent` from topic `notifications.notification.sent` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to `dlq.notification-sent`.
   */
  async onNotificationSent(_event, _context) {
    // TODO: Count messages per channel, template and provider. `_event.data` is the
    // NotificationsNotificationSent payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onNotificationSent is not implemented yet');
  },
  /**
   * Handles `orders.order.confirmed` from topic `orders.order.confirmed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-confirmed`.
   */
  async onOrderConfirmed(_event, _context) {
    // TODO: Record the confirmation step of the order funnel. `_event.data` is the OrdersOrderConfirmed
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onOrderConfirmed is not implemented yet');
  },
  /**
   * Handles `orders.order.created` from topic `orders.order.created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-created`.
   */
  async onOrderCreated(_event, _context) {
    // TODO: Add a placed order to the sales facts. `_event.data` is the OrdersOrderCreated payload.
    // `_context` has the attempt number, an abort signal and `follow` (publish options that make an event
    // you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onOrderCreated is not implemented yet');
  },
  /**
   * Handles `orders.order.delivered` from topic `orders.order.delivered` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-delivered`.
   */
  async onOrderDelivered(_event, _context) {
    // TODO: Record the delivery step and the order's lead time. `_event.data` is the OrdersOrderDelivered
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onOrderDelivered is not implemented yet');
  },
  /**
   * Handles `orders.order.paid` from topic `orders.order.paid` (pub/sub `pubsub`). Throwing retries the
   * event (up to 3 retries), then it goes to `dlq.order-paid`.
   */
  async onOrderPaid(_event, _context) {
    // TODO: Record the payment step of the order funnel and the recognised revenue. `_event.data` is the
    // OrdersOrderPaid payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onOrderPaid is not implemented yet');
  },
  /**
   * Handles `orders.order.shipped` from topic `orders.order.shipped` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-shipped`.
   */
  async onOrderShipped(_event, _context) {
    // TODO: Record the shipping step of the order funnel. `_event.data` is the OrdersOrderShipped payload.
    // `_context` has the attempt number, an abort signal and `follow` (publish options that make an event
    // you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onOrderShipped is not implemented yet');
  },
  /**
   * Handles `analytics.page.viewed` from topic `analytics.page.viewed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.page-viewed`.
   */
  async onPageViewed(_event, _context) {
    // TODO: Sessionise page views into visits and funnels. `_event.data` is the AnalyticsPageViewed
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onPageViewed is not implemented yet');
  },
  /**
   * Handles `payments.payment.authorized` from topic `payments.payment.authorized` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.payment-authorized`.
   */
  async onPaymentAuthorized(_event, _context) {
    // TODO: Count authorizations per provider and method. `_event.data` is the PaymentsPaymentAuthorized
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onPaymentAuthorized is not implemented yet');
  },
  /**
   * Handles `payments.payment.captured` from topic `payments.payment.captured` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.payment-captured`.
   */
  async onPaymentCaptured(_event, _context) {
    // TODO: Add captured money to the revenue facts. `_event.data` is the PaymentsPaymentCaptured payload.
    // `_context` has the attempt number, an abort signal and `follow` (publish options that make an event
    // you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onPaymentCaptured is not implemented yet');
  },
  /**
   * Handles `payments.payment.failed` from topic `payments.payment.failed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.payment-failed`.
   */
  async onPaymentFailed(_event, _context) {
    // TODO: Track failure rates per provider; a spike raises an alert. `_event.data` is the
    // PaymentsPaymentFailed payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onPaymentFailed is not implemented yet');
  },
  /**
   * Handles `payments.payment.refunded` from topic `payments.payment.refunded` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.payment-refunded`.
   */
  async onPaymentRefunded(_event, _context) {
    // TODO: Subtract refunds from the revenue facts. `_event.data` is the PaymentsPaymentRefunded payload.
    // `_context` has the attempt number, an abort signal and `follow` (publish options that make an event
    // you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onPaymentRefunded is not implemented yet');
  },
  /**
   * Handles `loyalty.points.earned` from topic `loyalty.points.earned` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.points-earned`.
   */
  async onPointsEarned(_event, _context) {
    // TODO: Track the points liability of the programme. `_event.data` is the LoyaltyPointsEarned payload.
    // `_context` has the attempt number, an abort signal and `follow` (publish options that make an event
    // you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onPointsEarned is not implemented yet');
  },
  /**
   * Handles `loyalty.points.reversed` from topic `loyalty.points.reversed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.points-reversed`.
   */
  async onPointsReversed(_event, _context) {
    // TODO: Track reversed points against earned points. `_event.data` is the LoyaltyPointsReversed
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onPointsReversed is not implemented yet');
  },
  /**
   * Handles `search.query.performed` from topic `search.query.performed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.query-performed`.
   */
  async onQueryPerformed(_event, _context) {
    // TODO: Aggregate query volume, latency and zero-result queries. `_event.data` is the
    // SearchQueryPerformed payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onQueryPerformed is not implemented yet');
  },
  /**
   * Handles `returns.return.completed` from topic `returns.return.completed` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.return-completed`.
   */
  async onReturnCompleted(_event, _context) {
    // TODO: Track return rates per product and reason. `_event.data` is the ReturnsReturnCompleted
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onReturnCompleted is not implemented yet');
  },
  /**
   * Handles `operations.service.deployment` from topic `operations.service.deployment` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to `dlq.service-deployment`.
   */
  async onServiceDeployment(_event, _context) {
    // TODO: Mark deployments on the metrics timeline to correlate them with error spikes. `_event.data` is
    // the OperationsServiceDeployment payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onServiceDeployment is not implemented yet');
  },
  /**
   * Handles `operations.service.error` from topic `operations.service.error` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.service-error`.
   */
  async onServiceError(_event, _context) {
    // TODO: Aggregate error reports per service; thresholds raise alerts. `_event.data` is the
    // OperationsServiceError payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onServiceError is not implemented yet');
  },
  /**
   * Handles `auth.session.ended` from topic `auth.session.ended` (pub/sub `pubsub`). Throwing retries
   * the event (up to 3 retries), then it goes to `dlq.session-ended`.
   */
  async onSessionEnded(_event, _context) {
    // TODO: Measure session lengths. `_event.data` is the AuthSessionEnded payload. `_context` has the
    // attempt number, an abort signal and `follow` (publish options that make an event you publish a child
    // of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onSessionEnded is not implemented yet');
  },
  /**
   * Handles `auth.session.started` from topic `auth.session.started` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.session-started`.
   */
  async onSessionStarted(_event, _context) {
    // TODO: Count sign-ins per method and client. `_event.data` is the AuthSessionStarted payload.
    // `_context` has the attempt number, an abort signal and `follow` (publish options that make an event
    // you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onSessionStarted is not implemented yet');
  },
  /**
   * Handles `shipping.shipment.delivered` from topic `shipping.shipment.delivered` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.shipment-delivered`.
   */
  async onShipmentDelivered(_event, _context) {
    // TODO: Measure delivery times and attempts per carrier. `_event.data` is the
    // ShippingShipmentDelivered payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onShipmentDelivered is not implemented yet');
  },
  /**
   * Handles `loyalty.tier.changed` from topic `loyalty.tier.changed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.tier-changed`.
   */
  async onTierChanged(_event, _context) {
    // TODO: Track the tier distribution of members. `_event.data` is the LoyaltyTierChanged payload.
    // `_context` has the attempt number, an abort signal and `follow` (publish options that make an event
    // you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onTierChanged is not implemented yet');
  }
};
