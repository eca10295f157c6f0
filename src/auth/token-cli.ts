/**
 * `npm run token`: mints a token with the hub's secret (JWT_SECRET, or the demo secret in
 * HUB_DATA_DIR). It mints only what the hub accepts: the claims go through the same checks as a
 * verified token's, so a device token names its monitors or cameras and a typo fails here, not
 * at the first request.
 */

import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { parseClaims } from './claims';
import { parseDuration, signToken } from './jwt';
import { demoSecret } from './secret';
import { TOKEN_ROLES } from './viewer';
import { demoPeopleListing, demoPerson } from '../demo/people';

export const TOKEN_USAGE = `usage: npm run -s token -- --as <demo person> [--ttl 12h]
       npm run -s token -- --role <role> [options]

Prints a signed JWT on stdout (send it as "Authorization: Bearer <token>").

  --as <name>            a demo person with their role, subject and cells or enterprise:
                         assistant-001, town-officer-01, district-officer-01, officer-001,
                         demo-enterprise, enterprise:<USCC>, demo-device, device:<MN>;
                         --as list prints them all
  --role <role>          ${TOKEN_ROLES.join(', ')}, or video (a device token for the
                         video platform); repeat for several roles
  --cell <code>          a town officer's or assistant's grid cell; repeatable
  --enterprise <uscc>    the enterprise an enterprise account stands for (required for enterprise)
  --mn <MN>              a monitor a device token sends readings for; repeatable
  --camera <code>        a camera the video platform reports status for; repeatable
                         (a device token needs at least one --mn or --camera)
  --sub <id>             the token subject (default: derived from the role)
  --name <name>          a display name
  --ttl <duration>       lifetime: 90s, 15m, 12h, 30d (default 12h)
  -h, --help             this text

examples:
  npm run -s token -- --as assistant-051
  npm run -s token -- --as list
  npm run -s token -- --role district
  npm run -s token -- --role assistant --cell 51011201001001
  npm run -s token -- --role enterprise --enterprise 91510112MA6CAAAAA1 --ttl 1h
  npm run -s token -- --role device --mn SRC5101120001W --mn SRC5101120001G
  npm run -s token -- --role video --camera CAM-0001 --camera CAM-0002
`;

/** The claims and lifetime a command line asks for; throws ConfigError with what is wrong. */
export function tokenRequest(args: string[]): { help: true } | { list: true } | { help: false; claims: Record<string, unknown>; ttlSeconds: number } {
  let values: {
    as?: string | undefined;
    role?: string[] | undefined;
    cell?: string[] | undefined;
    enterprise?: string | undefined;
    mn?: string[] | undefined;
    camera?: string[] | undefined;
    sub?: string | undefined;
    name?: string | undefined;
    ttl?: string | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        as: { type: 'string' },
        role: { type: 'string', multiple: true },
        cell: { type: 'string', multiple: true },
        enterprise: { type: 'string' },
        mn: { type: 'string', multiple: true },
        camera: { type: 'string', multiple: true },
        sub: { type: 'string' },
        name: { type: 'string' },
        ttl: { type: 'string', default: '12h' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)}\n\n${TOKEN_USAGE}`);
  }
  if (values.help) return { help: true };
  if (values.as !== undefined) {
    if (values.as === 'list') return { list: true };
    // a demo person brings their own claims; mixing in others would mint someone the seed does not know
    const extra = (['role', 'cell', 'enterprise', 'mn', 'camera', 'sub'] as const).filter((option) => values[option] !== undefined);
    if (extra.length > 0) throw new ConfigError(`--as names a demo person with their own claims; leave out ${extra.map((o) => `--${o}`).join(', ')}`);
    const person = demoPerson(values.as);
    if (!person) throw new ConfigError(`no demo person "${values.as}"; npm run -s token -- --as list prints them`);
    values = {
      ...values,
      role: [person.role],
      sub: person.sub,
      ...(person.cells ? { cell: person.cells } : {}),
      ...(person.enterprise !== undefined ? { enterprise: person.enterprise } : {}),
      ...(person.mns ? { mn: person.mns } : {}),
    };
  }
  const asked = values.role ?? [];
  if (asked.length === 0) throw new ConfigError(`give --role\n\n${TOKEN_USAGE}`);
  const roles = [...new Set(asked.map((role) => (role === 'video' ? 'device' : role)))];
  if (asked.includes('video') && (values.camera ?? []).length === 0)
    throw new ConfigError('a video platform token names its cameras: give --camera <code> (repeatable)');
  if (roles.includes('device') && (values.mn ?? []).length === 0 && (values.camera ?? []).length === 0) {
    throw new ConfigError('a device token is bound to what it stands for: give --mn <MN> or --camera <code> (repeatable)');
  }
  let ttlSeconds: number;
  try {
    ttlSeconds = parseDuration(values.ttl ?? '12h');
  } catch (error) {
    throw new ConfigError(`--ttl: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (ttlSeconds < 1) throw new ConfigError('--ttl must be at least 1 second');
  const claims: Record<string, unknown> = {
    sub: values.sub ?? `${asked[0]}-${values.enterprise ?? values.cell?.[0] ?? values.mn?.[0] ?? values.camera?.[0] ?? 'cli'}`,
    roles,
    ...(values.cell ? { cells: values.cell } : {}),
    ...(values.enterprise !== undefined ? { enterprise: values.enterprise } : {}),
    ...(values.mn ? { mns: values.mn } : {}),
    ...(values.camera ? { cameras: values.camera } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
  };
  const parsed = parseClaims(claims);
  if (!parsed.ok) throw new ConfigError(parsed.problem.replace(/^token claim "(\w+)"/, (_m, claim: string) => `--${OPTION_OF_CLAIM[claim] ?? claim}`));
  return { help: false, claims, ttlSeconds };
}

const OPTION_OF_CLAIM: Record<string, string> = {
  sub: 'sub',
  roles: 'role',
  cells: 'cell',
  enterprise: 'enterprise',
  mns: 'mn',
  cameras: 'camera',
  name: 'name',
};

export async function runToken(args: string[]): Promise<void> {
  const request = tokenRequest(args);
  if ('list' in request) {
    process.stdout.write(demoPeopleListing());
    return;
  }
  if (request.help) {
    process.stdout.write(TOKEN_USAGE);
    return;
  }
  const config = loadConfig(process.env, 'demo');
  let secret = config.jwt.secret;
  if (!secret) {
    const demo = demoSecret(config.dataDir);
    secret = demo.secret;
    process.stderr.write(`using the demo secret in ${demo.path}${demo.created ? ' (just generated)' : ''}\n`);
  }
  const parsed = parseClaims(request.claims);
  if (!parsed.ok) throw new ConfigError(parsed.problem);
  const { sub, roles, cells, enterprise, mns, cameras, name } = parsed.claims;
  const token = await signToken(
    { sub, roles, cells: cells.length ? cells : undefined, enterprise, mns: mns.length ? mns : undefined, cameras: cameras.length ? cameras : undefined, name },
    secret,
    { ttlSeconds: request.ttlSeconds, issuer: config.jwt.issuer, audience: config.jwt.audience },
  );
  process.stdout.write(`${token}\n`);
}
