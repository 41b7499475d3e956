export type LogFields = Readonly<Record<string, unknown>>;

export interface GatewayLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const silentLogger: GatewayLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** One JSON object per line so the output can be piped through `jq` or a log shipper. */
export function createJsonLogger(write: (line: string) => void): GatewayLogger {
  const log =
    (level: string) =>
    (message: string, fields: LogFields = {}) =>
      write(
        `${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`,
      );
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
