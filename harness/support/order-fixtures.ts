/**
 * What starts the order-placement flow: a checked-out cart, typed by the checkout service's generated types.
 * The rest of the flow is the services' own handlers (generated/<service>/handlers.ts).
 */
import type { CheckoutCartCheckedOut } from '../../generated/checkout/index.ts';

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
