/**
 * PostgreSQL connection URLs: deriving one for another database or role (tests clone databases,
 * the dev stack adds the runtime login) and describing one without its password.
 */

export function connectionUrl(
  base: string,
  change: { database?: string; user?: string; password?: string },
): string {
  const url = new URL(base);
  if (change.database !== undefined) url.pathname = `/${encodeURIComponent(change.database)}`;
  if (change.user !== undefined) url.username = encodeURIComponent(change.user);
  if (change.password !== undefined) url.password = encodeURIComponent(change.password);
  return url.toString();
}

/** `user@host:port/database`, safe for messages and logs. */
export function describeConnection(url: string): string {
  try {
    const parsed = new URL(url);
    const user = decodeURIComponent(parsed.username) || '(default user)';
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
    return `${user}@${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}/${database}`;
  } catch {
    return '(unparseable connection URL)';
  }
}
