/** A deployment with the web console: JWT mode and the console's OAuth client. */
export const consoleSignIn = {
  clientId: 'console-client',
  authorizeUrl: 'https://login.example.com/oauth2/authorize',
  tokenUrl: 'https://tokens.example.com/oauth2/token',
  scopes: ['openid', 'config:read', 'config:write'],
};

export const consoleContext = {
  authMode: 'jwt',
  jwtIssuer: 'https://issuer.example.com/',
  jwtAudience: 'console-client',
  console: 'true',
  consoleClientId: consoleSignIn.clientId,
  consoleAuthorizeUrl: consoleSignIn.authorizeUrl,
  consoleTokenUrl: consoleSignIn.tokenUrl,
};

/** The same, on the team's own host name, behind a WAF web ACL. */
export const consoleOnOwnDomainContext = {
  ...consoleContext,
  consoleDomainName: 'config.example.com',
  consoleCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
  consoleWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/ops/0a1b2c',
};
