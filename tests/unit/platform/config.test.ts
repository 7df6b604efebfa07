import { ConfigError, loadConfig } from '../../../src/platform/config.ts';

const DATABASE_URL = 'postgres://kingdom@db.internal:5432/kingdom';
const PUBLIC_URL = 'https://kingdom.example.com';

/** The ConfigError loading `environment` throws. */
const configErrorFor = (environment: NodeJS.ProcessEnv): ConfigError => {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, the configuration was accepted');
};

const STRONG_SECRET = 's'.repeat(48);

describe('loading the configuration', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      NODE_ENV: 'development',
      PORT: 4000,
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: 10,
      DATABASE_STATEMENT_TIMEOUT_MS: 15_000,
      TRANSACTION_MAX_ATTEMPTS: 5,
      TRANSACTION_RETRY_BASE_DELAY_MS: 10,
      HTTP_BODY_LIMIT_BYTES: 100 * 1024,
      isDevelopment: true,
      isProduction: false,
    });
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
  });

  it('reads numbers from their strings', () => {
    expect(loadConfig({ PORT: '8080', DATABASE_POOL_SIZE: '25' })).toMatchObject({
      PORT: 8080,
      DATABASE_POOL_SIZE: 25,
    });
  });

  it('treats empty strings as unset, as .env files write them', () => {
    const config = loadConfig({ NODE_ENV: '', PORT: '', LOG_LEVEL: '', DATABASE_URL: '', HOST: '' });

    expect(config).toMatchObject({ NODE_ENV: 'development', PORT: 4000, LOG_LEVEL: 'info', host: '127.0.0.1' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_POOL_SIZE', '0'],
  ])('refuses %s=%s with a ConfigError naming the variable', (variable, value) => {
    const error = configErrorFor({ [variable]: value });

    expect(error.message).toMatch(new RegExp(`^\\s+- ${variable}: `, 'm'));
  });

  it('names every bad variable in one error', () => {
    const { message } = configErrorFor({ PORT: 'abc', LOG_LEVEL: 'loud' });

    expect(message).toMatch(/^\s+- PORT: /m);
    expect(message).toMatch(/^\s+- LOG_LEVEL: /m);
  });

  it('accepts postgres:// and postgresql:// URLs', () => {
    expect(loadConfig({ DATABASE_URL }).DATABASE_URL).toBe(DATABASE_URL);
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/kingdom' }).DATABASE_URL).toBe(
      'postgresql://localhost/kingdom',
    );
  });

  it('refuses to start in production without a DATABASE_URL, empty counting as missing', () => {
    expect(configErrorFor({ NODE_ENV: 'production' }).message).toMatch(/^\s+- DATABASE_URL: .*production/m);
    expect(configErrorFor({ NODE_ENV: 'production', DATABASE_URL: '', PUBLIC_URL }).message).toContain('DATABASE_URL');
  });

  it('does not require a DATABASE_URL outside production', () => {
    expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'test' })).not.toThrow();
  });

  describe('the host to listen on', () => {
    it('is loopback in development, so a laptop does not serve its network', () => {
      expect(loadConfig({}).host).toBe('127.0.0.1');
    });

    it('is loopback in tests', () => {
      expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    });

    it('is every interface in production', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL,
        PUBLIC_URL,
        JWT_SECRET: STRONG_SECRET,
        CURSOR_SECRET: STRONG_SECRET,
      });

      expect(config.host).toBe('0.0.0.0');
      expect(config.isProduction).toBe(true);
    });

    it('is HOST when set, in any environment', () => {
      expect(loadConfig({ HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
      expect(
        loadConfig({
          NODE_ENV: 'production',
          DATABASE_URL,
          PUBLIC_URL,
          JWT_SECRET: STRONG_SECRET,
          CURSOR_SECRET: STRONG_SECRET,
          HOST: '127.0.0.1',
        }).host,
      ).toBe('127.0.0.1');
    });
  });
});

describe('the cursor signing key', () => {
  it('is refused in production when missing, naming CURSOR_SECRET', () => {
    expect(
      configErrorFor({ NODE_ENV: 'production', DATABASE_URL, PUBLIC_URL, JWT_SECRET: STRONG_SECRET }).message,
    ).toMatch(/^\s+- CURSOR_SECRET: .*32 bytes/m);
  });

  it('is refused in any environment when shorter than 256 bits, and optional outside production', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) {
      expect(configErrorFor({ NODE_ENV, DATABASE_URL, PUBLIC_URL, CURSOR_SECRET: 'x'.repeat(31) }).message).toContain(
        'CURSOR_SECRET',
      );
    }
    expect(loadConfig({ NODE_ENV: 'test' }).CURSOR_SECRET).toBeUndefined();
  });

  it('rotates like the token keys: a key id, and previous keys as JSON (each of 256 bits at least)', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      CURSOR_SECRET: STRONG_SECRET,
      CURSOR_KEY_ID: 'c2',
      CURSOR_PREVIOUS_KEYS: JSON.stringify({ c1: 'y'.repeat(32) }),
    });
    expect([config.CURSOR_KEY_ID, config.CURSOR_PREVIOUS_KEYS]).toEqual(['c2', { c1: 'y'.repeat(32) }]);
    expect(loadConfig({ NODE_ENV: 'test' }).CURSOR_KEY_ID).toBe('c1');
    for (const previous of [
      'not json',
      JSON.stringify({ c1: 'short' }),
      JSON.stringify({ 'bad id!': 'y'.repeat(32) }),
    ]) {
      expect(configErrorFor({ NODE_ENV: 'test', CURSOR_PREVIOUS_KEYS: previous }).message).toContain(
        'CURSOR_PREVIOUS_KEYS',
      );
    }
    expect(configErrorFor({ NODE_ENV: 'test', CURSOR_KEY_ID: 'a.b' }).message).toContain('CURSOR_KEY_ID');
  });

  it('is not asked of background processes, which never hand out a cursor', () => {
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL, PUBLIC_URL }, { signsTokens: false }).isProduction).toBe(
      true,
    );
  });
});

describe('the token signing key', () => {
  it('is refused in production when missing, naming JWT_SECRET', () => {
    expect(configErrorFor({ NODE_ENV: 'production', DATABASE_URL, PUBLIC_URL }).message).toMatch(
      /^\s+- JWT_SECRET: .*32 bytes/m,
    );
  });

  it('is refused in any environment when shorter than 256 bits', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) {
      expect(configErrorFor({ NODE_ENV, DATABASE_URL, PUBLIC_URL, JWT_SECRET: 'x'.repeat(31) }).message).toContain(
        'JWT_SECRET',
      );
    }
    expect(
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL,
        PUBLIC_URL,
        JWT_SECRET: STRONG_SECRET,
        CURSOR_SECRET: STRONG_SECRET,
      }).JWT_SECRET,
    ).toBe(STRONG_SECRET);
  });

  it('must be an RSA private key in production when RS256 is chosen', () => {
    expect(
      configErrorFor({ NODE_ENV: 'production', DATABASE_URL, PUBLIC_URL, JWT_ALGORITHM: 'RS256' }).message,
    ).toContain('JWT_PRIVATE_KEY: is required with JWT_ALGORITHM=RS256 (an RSA private key of 2048+ bits in PEM)');
  });

  it('is not asked of background processes, which never see a token', () => {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL, PUBLIC_URL }, { signsTokens: false });

    expect(config.isProduction).toBe(true);
    expect(config.JWT_SECRET).toBeUndefined();
  });

  it('accepts only HS256 and RS256 as the algorithm', () => {
    expect(configErrorFor({ JWT_ALGORITHM: 'none' }).message).toContain('JWT_ALGORITHM');
  });

  it('may be left out in development, where one is generated', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).JWT_SECRET).toBeUndefined();
  });

  it('refuses previous keys that are not a JSON object', () => {
    expect(configErrorFor({ JWT_PREVIOUS_KEYS: '[1,2]' }).message).toContain('JWT_PREVIOUS_KEYS');
  });
});

describe('the external bus settings', () => {
  it('default to graphile-worker, the sent_emails table and the warehouse address', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      EXTERNAL_BUS: 'graphile-worker',
      EMAIL_TRANSPORT: 'table',
      JOB_MAX_ATTEMPTS: 10,
      WORKER_CONCURRENCY: 4,
      OUT_OF_STOCK_NOTIFY: ['warehouse@kingdom.local'],
    });
  });

  it('need a queue URL for SQS and an SMTP URL for SMTP, naming the missing variable', () => {
    expect(configErrorFor({ EXTERNAL_BUS: 'sqs' }).message).toContain(
      'SQS_QUEUE_URL: is required with EXTERNAL_BUS=sqs',
    );
    expect(configErrorFor({ EMAIL_TRANSPORT: 'smtp' }).message).toContain(
      'SMTP_URL: is required with EMAIL_TRANSPORT=smtp',
    );
    expect(configErrorFor({ SMTP_URL: 'http://mail.example.com' }).message).toContain('SMTP_URL');
  });

  it('read OUT_OF_STOCK_NOTIFY as a list of email addresses', () => {
    expect(loadConfig({ OUT_OF_STOCK_NOTIFY: 'a@example.com, b@example.com' }).OUT_OF_STOCK_NOTIFY).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
    expect(configErrorFor({ OUT_OF_STOCK_NOTIFY: 'a@example.com, not-an-address' }).message).toContain(
      'OUT_OF_STOCK_NOTIFY',
    );
  });
});

describe('account recovery settings', () => {
  it('default to 30-minute links, at most one email a minute, and the development server as the public address', () => {
    expect(loadConfig({})).toMatchObject({
      PASSWORD_RESET_TTL_MINUTES: 30,
      PASSWORD_RESET_EMAIL_INTERVAL_SECONDS: 60,
      publicUrl: 'http://127.0.0.1:4000',
    });
  });

  it('take PUBLIC_URL without its trailing slash, keeping a path', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://shop.example.com/kingdom/' }).publicUrl).toBe(
      'https://shop.example.com/kingdom',
    );
  });

  it('refuse a PUBLIC_URL that is not an http(s) address or carries a query or fragment', () => {
    for (const value of [
      'kingdom.example.com',
      'ftp://kingdom.example.com',
      'https://kingdom.example.com/?a=1',
      'https://k.example.com/#x',
    ]) {
      expect(configErrorFor({ PUBLIC_URL: value }).message).toContain('PUBLIC_URL');
    }
  });

  it('require PUBLIC_URL in production, where a link to the development address would be broken', () => {
    expect(
      configErrorFor({ NODE_ENV: 'production', DATABASE_URL, JWT_SECRET: STRONG_SECRET, CURSOR_SECRET: STRONG_SECRET })
        .message,
    ).toMatch(/^\s+- PUBLIC_URL: is required in production/m);
  });

  it('refuse a link lifetime outside 1 to 1440 minutes, and accept an interval of 0 (no email throttle)', () => {
    expect(configErrorFor({ PASSWORD_RESET_TTL_MINUTES: '0' }).message).toContain('PASSWORD_RESET_TTL_MINUTES');
    expect(configErrorFor({ PASSWORD_RESET_TTL_MINUTES: '1441' }).message).toContain('PASSWORD_RESET_TTL_MINUTES');
    expect(loadConfig({ PASSWORD_RESET_EMAIL_INTERVAL_SECONDS: '0' }).PASSWORD_RESET_EMAIL_INTERVAL_SECONDS).toBe(0);
  });
});

describe('LOG_FORMAT', () => {
  it('is readable lines in development and JSON everywhere else, unless set', () => {
    expect(loadConfig({}).logFormat).toBe('pretty');
    expect(loadConfig({ NODE_ENV: 'test' }).logFormat).toBe('json');
    expect(
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL,
        PUBLIC_URL,
        JWT_SECRET: STRONG_SECRET,
        CURSOR_SECRET: STRONG_SECRET,
      }).logFormat,
    ).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({ NODE_ENV: 'test', LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  });

  it('refuses anything but json or pretty', () => {
    expect(configErrorFor({ LOG_FORMAT: 'yaml' }).message).toMatch(/- LOG_FORMAT: /);
  });
});

describe('EMBEDDED_POSTGRES_DIR', () => {
  it('has no fixed default: where the data lives depends on who runs where (data-directory.ts)', () => {
    expect(loadConfig({}).EMBEDDED_POSTGRES_DIR).toBeUndefined();
    expect(loadConfig({ EMBEDDED_POSTGRES_DIR: 'elsewhere' }).EMBEDDED_POSTGRES_DIR).toBe('elsewhere');
  });
});

describe('the federation settings', () => {
  const ROUTER_SECRET = 'r'.repeat(40);
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL,
    PUBLIC_URL,
    JWT_SECRET: STRONG_SECRET,
    CURSOR_SECRET: STRONG_SECRET,
  };

  it('are off by default, with x-router-secret as the header and no secret', () => {
    expect(loadConfig({})).toMatchObject({ FEDERATION: false, FEDERATION_ROUTER_SECRET_HEADER: 'x-router-secret' });
    expect(loadConfig({}).FEDERATION_ROUTER_SECRET).toBeUndefined();
  });

  it('require the router secret in production with FEDERATION=true, and nowhere else', () => {
    expect(configErrorFor({ ...production, FEDERATION: 'true' }).message).toContain(
      'FEDERATION_ROUTER_SECRET: is required in production with FEDERATION=true',
    );
    expect(loadConfig({ ...production, FEDERATION: 'true', FEDERATION_ROUTER_SECRET: ROUTER_SECRET }).FEDERATION).toBe(
      true,
    );
    expect(loadConfig({ ...production }).FEDERATION).toBe(false);
    expect(loadConfig({ FEDERATION: 'true' }).FEDERATION_ROUTER_SECRET).toBeUndefined();
  });

  it('refuse a secret shorter than 32 bytes in any environment', () => {
    expect(configErrorFor({ FEDERATION: 'true', FEDERATION_ROUTER_SECRET: 'short' }).message).toContain(
      'FEDERATION_ROUTER_SECRET: must be at least 32 bytes',
    );
  });

  it('take the header name in lower case, and refuse one that is no header name or is authorization', () => {
    expect(loadConfig({ FEDERATION_ROUTER_SECRET_HEADER: 'X-Kingdom-Router' }).FEDERATION_ROUTER_SECRET_HEADER).toBe(
      'x-kingdom-router',
    );
    expect(configErrorFor({ FEDERATION_ROUTER_SECRET_HEADER: 'x router' }).message).toContain(
      'FEDERATION_ROUTER_SECRET_HEADER: must be an HTTP header name',
    );
    expect(configErrorFor({ FEDERATION_ROUTER_SECRET_HEADER: 'Authorization' }).message).toContain(
      'FEDERATION_ROUTER_SECRET_HEADER: must not be authorization',
    );
  });

  it('refuse FEDERATION values other than true and false', () => {
    expect(configErrorFor({ FEDERATION: 'yes' }).message).toContain('FEDERATION');
  });
});
