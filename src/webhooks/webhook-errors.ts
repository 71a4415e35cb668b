// What the webhook receiver refuses; app.ts maps each class to its HTTP status and code.
export class InvalidWebhookSignatureError extends Error {
  constructor() {
    super('The X-Hub-Signature-256 header is missing or does not match the body');
    this.name = 'InvalidWebhookSignatureError';
  }
}

export class WebhookVerificationError extends Error {
  constructor() {
    super('Webhook verification failed');
    this.name = 'WebhookVerificationError';
  }
}

/** The delivery could not be stored: Meta must retry it, so the answer is a 5xx, never a false 200 (R38). */
export class WebhookStorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The delivery could not be stored; retry later', { cause });
    this.name = 'WebhookStorageUnavailableError';
  }
}
