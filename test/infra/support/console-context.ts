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
