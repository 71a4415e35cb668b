// What /metrics refuses; app.ts maps each class to its HTTP status and code.
export class MetricsDisabledError extends Error {
  constructor() {
    super('No such endpoint');
    this.name = 'MetricsDisabledError';
  }
}

export class MetricsUnauthorizedError extends Error {
  constructor() {
    super('The metrics endpoint needs the bearer token configured in METRICS_TOKEN');
    this.name = 'MetricsUnauthorizedError';
  }
}
