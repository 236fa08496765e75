/**
 * Payloads of the order-placement flow, typed by each producing service's generated types. Every id of one
 * order derives from its serial (`100001` -> cart_100001, ORD-20260130-100001, res_100001, ...), so a test can
 * name every effect the flow must produce without reading it back from the events.
 */
import type { CheckoutCartCheckedOut } from '../../generated/checkout/index.ts';
import type { FulfillmentsFulfillmentStatusChanged } from '../../generated/fulfillment/index.ts';
import type { NotificationsNotificationSent } from '../../generated/notification/index.ts';
import type { OrdersOrderCreated, OrdersOrderStatusChanged } from '../../generated/order/index.ts';
import type { ShippingShipmentCreated } from '../../generated/shipping/index.ts';
import type { WarehouseInventoryReserved } from '../../generated/warehouse/index.ts';

const VND = (amount: number) => ({ amount, currency: 'VND' });
const address = {
  recipient_name: 'Nguyen Thi Lan',
  phone: '+84901234567',
  line1: '12 Nguyen Hue',
  ward: 'Ben Nghe',
  district: 'District 1',
  city: 'Ho Chi Minh City',
  country_code: 'VN',
};

export const ids = {
  cart: (serial: string) => `cart_${serial}`,
  order: (serial: string) => `ORD-20260130-${serial}`,
  reservation: (serial: string) => `res_${serial}`,
  fulfillment: (serial: string) => `ful_${serial}`,
  shipment: (serial: string) => `shp_${serial}`,
  /** The serial back from any id above (the digits after the last `_` or `-`). */
  serialOf: (id: string) => id.slice(Math.max(id.lastIndexOf('_'), id.lastIndexOf('-')) + 1),
};

export function cartCheckedOut(serial: string, quantity: number): CheckoutCartCheckedOut {
  const unit = 750_000;
  return {
    cart_id: ids.cart(serial),
    checkout_id: `chk_${serial}`,
    customer_id: `cust_${serial}`,
    customer_email: `shopper-${serial}@example.com`,
    locale: 'vi',
    items: [
      {
        product_id: 'prod_456',
        sku: 'TSHIRT-BLK-M',
        name: 'Classic cotton T-shirt',
        quantity,
        unit_price: VND(unit),
      },
    ],
    totals: {
      subtotal: VND(unit * quantity),
      discount_total: VND(0),
      shipping_fee: VND(30_000),
      tax_total: VND(0),
      grand_total: VND(unit * quantity + 30_000),
    },
    coupon_codes: [],
    shipping_method: 'standard',
    shipping_address: address,
    payment: { method: 'cod' },
    sales_channel: 'web',
    checked_out_at: '2026-01-30T10:29:58Z',
  };
}

/** What the order service creates from a checked-out cart. */
export function orderCreated(cart: CheckoutCartCheckedOut): OrdersOrderCreated {
  const { payment, checked_out_at: _at, ...rest } = cart;
  return {
    ...rest,
    order_id: ids.order(ids.serialOf(cart.cart_id)),
    status: 'pending',
    payment_method: payment.method,
    placed_at: '2026-01-30T10:30:00Z',
  };
}

export function orderPending(order: OrdersOrderCreated): OrdersOrderStatusChanged {
  return {
    order_id: order.order_id,
    sequence: 1,
    customer_id: order.customer_id,
    new_status: 'pending',
    changed_at: order.placed_at,
  };
}

export function inventoryReserved(order: OrdersOrderCreated): WarehouseInventoryReserved {
  return {
    reservation_id: ids.reservation(ids.serialOf(order.order_id)),
    order_id: order.order_id,
    customer_id: order.customer_id,
    warehouse_id: 'WH-HCM-001',
    items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
    complete: true,
    reserved_at: '2026-01-30T10:30:01Z',
    expires_at: '2026-01-30T11:00:00Z',
  };
}

/** The fulfillment's first two states: created (sequence 1), then ready to ship (sequence 2). */
export function fulfillmentProgress(
  reservation: WarehouseInventoryReserved,
): FulfillmentsFulfillmentStatusChanged[] {
  const base = {
    fulfillment_id: ids.fulfillment(ids.serialOf(reservation.reservation_id)),
    order_id: reservation.order_id,
    warehouse_id: reservation.warehouse_id,
    reservation_id: reservation.reservation_id,
    items: reservation.items,
    shipping_method: 'standard' as const,
  };
  return [
    { ...base, sequence: 1, new_status: 'created', changed_at: '2026-01-30T10:30:02Z' },
    {
      ...base,
      sequence: 2,
      previous_status: 'created',
      new_status: 'ready_to_ship',
      package: { weight_grams: 520, length_cm: 30, width_cm: 25, height_cm: 4 },
      shipping_address: address,
      // Required once the parcel is ready: what the carrier collects on delivery (0 when prepaid).
      cod_amount: VND(0),
      changed_at: '2026-01-30T12:40:00Z',
    },
  ];
}

export function shipmentCreated(
  status: FulfillmentsFulfillmentStatusChanged,
  customerId: string,
): ShippingShipmentCreated {
  const serial = ids.serialOf(status.fulfillment_id);
  return {
    shipment_id: ids.shipment(serial),
    order_id: status.order_id,
    fulfillment_id: status.fulfillment_id,
    customer_id: customerId,
    carrier: 'ghn',
    service_level: status.shipping_method,
    tracking_number: `GHN${serial}`,
    tracking_url: `https://tracking.example.com/GHN${serial}`,
    estimated_delivery_date: '2026-02-01',
    created_at: '2026-01-30T12:41:30Z',
  };
}

export function notificationSent(
  serial: string,
  customerId: string,
  trigger: string,
): NotificationsNotificationSent {
  return {
    notification_id: `ntf_${serial}${trigger === 'orders.order.created' ? 'a' : 'b'}`,
    customer_id: customerId,
    channel: 'email',
    template: trigger === 'orders.order.created' ? 'order-confirmation' : 'shipment-created',
    locale: 'vi',
    provider: 'ses',
    trigger_event_type: trigger,
    sent_at: '2026-01-30T10:30:02Z',
  };
}
