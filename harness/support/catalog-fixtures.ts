/**
 * Valid catalog payloads, typed by the generated catalog types: a contract change that breaks them fails
 * type-checking here before it fails a broker test. `tag` keeps ids unique per test.
 */
import type {
  CatalogProductCreated,
  CatalogProductDeleted,
  CatalogProductUpdated,
} from '../../generated/catalog/index.ts';

type Product = CatalogProductCreated['product'];

function product(tag: string, overrides: Partial<Product> = {}): Product {
  const sku = `TSHIRT-${tag.toUpperCase()}`;
  return {
    sku,
    name: `Classic cotton T-shirt ${tag}`,
    slug: `classic-cotton-t-shirt-${tag}`,
    description: 'Heavyweight cotton T-shirt with a relaxed fit.',
    brand: 'Saigon Basics',
    category_ids: ['cat_apparel', 'cat_tshirts'],
    status: 'active',
    price: { amount: 250_000, currency: 'VND' },
    availability: 'in_stock',
    variants: [
      { sku: `${sku}-M`, name: 'Size M', attributes: { size: 'M', color: 'black' } },
      {
        sku: `${sku}-L`,
        name: 'Size L',
        attributes: { size: 'L', color: 'black' },
        price: { amount: 260_000, currency: 'VND' },
      },
    ],
    images: [{ url: `https://cdn.example.com/products/${tag}/front.jpg`, alt: 'Front view' }],
    tags: ['cotton', 'basics'],
    ...overrides,
  };
}

/** `prod_<tag>`: `tag` must be 3-32 characters of [0-9a-z]. */
export function productId(tag: string): string {
  return `prod_${tag}`;
}

export function productCreated(tag: string): CatalogProductCreated {
  return {
    product_id: productId(tag),
    version: 1,
    created_at: '2026-01-30T09:00:00Z',
    product: product(tag),
  };
}

export function productUpdated(tag: string, version = 2): CatalogProductUpdated {
  return {
    product_id: productId(tag),
    version,
    updated_at: '2026-01-30T10:15:00Z',
    changed_fields: ['price'],
    product: product(tag, { price: { amount: 199_000, currency: 'VND' } }),
  };
}

export function productDeleted(tag: string): CatalogProductDeleted {
  return {
    product_id: productId(tag),
    version: 3,
    deleted_at: '2026-06-01T00:00:00Z',
    skus: [`TSHIRT-${tag.toUpperCase()}-M`, `TSHIRT-${tag.toUpperCase()}-L`],
    reason: 'discontinued',
  };
}
