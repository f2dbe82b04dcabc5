/** An error the simulator answers with a SCIM Error body (RFC 7644 §3.12: `status` is a string). */
export class SimScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = 'SimScimError';
  }

  body(): Record<string, unknown> {
    return {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: String(this.status),
      ...(this.scimType !== undefined ? { scimType: this.scimType } : {}),
      detail: this.message,
    };
  }
}

export const invalidFilter = (detail: string) => new SimScimError(400, 'invalidFilter', detail);
export const invalidPath = (detail: string) => new SimScimError(400, 'invalidPath', detail);
export const invalidValue = (detail: string) => new SimScimError(400, 'invalidValue', detail);
export const noTarget = (detail: string) => new SimScimError(400, 'noTarget', detail);
export const mutability = (detail: string) => new SimScimError(400, 'mutability', detail);
