/** Fake of `k6/metrics`: custom metrics register their type (thresholds may name them) and emit samples. */
import { emit, fakeState, type MetricType } from './state.ts';

class Metric {
  readonly name: string;

  constructor(name: string, type: MetricType) {
    this.name = name;
    const known = fakeState().metrics.get(name);
    if (known !== undefined && known !== type) throw new Error(`metric ${name} already exists as a ${known}`);
    fakeState().metrics.set(name, type);
  }

  add(value: number | boolean, tags?: Record<string, string>): void {
    emit(this.name, typeof value === 'boolean' ? Number(value) : value, tags);
  }
}

export class Counter extends Metric {
  constructor(name: string) {
    super(name, 'counter');
  }
}
export class Gauge extends Metric {
  constructor(name: string) {
    super(name, 'gauge');
  }
}
export class Rate extends Metric {
  constructor(name: string) {
    super(name, 'rate');
  }
}
export class Trend extends Metric {
  constructor(name: string) {
    super(name, 'trend');
  }
}
