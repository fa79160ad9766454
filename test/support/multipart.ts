/** Request bodies as a browser or a script sends files: multipart/form-data, built by hand for inject(). */

export interface Part {
  name: string;
  /** a file part when given (sent as application/octet-stream: the server must read the bytes) */
  filename?: string;
  content: Buffer | string;
}

export const BOUNDARY = 'yiwangtest';
export const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart/form-data body of these parts, in this order. */
export function multipartBody(parts: readonly Part[]): Buffer {
  return Buffer.concat([
    ...parts.flatMap((p) => [
      Buffer.from(
        p.filename === undefined
          ? `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n`
          : `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(p.content),
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]);
}
