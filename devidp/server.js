// A development OpenID Connect provider that speaks what the federal authentication service (FAS) speaks:
// authorization code flow with PKCE, private_key_jwt or client secret, signed request objects, userinfo as a
// signed JWT, the claims egovNRN/givenName/surname/mail/prefLanguage and the FAS levels of assurance as acr.
// Never for production: it lets anybody log in as any demo identity.
//
//   node devidp/server.js CONFIG.json
//
// CONFIG.json (written by `manage.py devidp_config` for the demo, by the tests for themselves):
//   { "host": "127.0.0.1", "port": 8089 (0 = any free port),
//     "clients": [ oidc-provider client metadata ... ],
//     "accounts": [ { "id": "dr.dubois", "label": "Marie Dubois", "kind": "citizen",
//                     "levels": ["urn:be:fedict:iam:fas:Level450", ...], "claims": { "egovNRN": ... } } ] }
// Once listening, it prints one line: "devidp listening on http://HOST:PORT".
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

const LEVELS = [
  'urn:be:fedict:iam:fas:Level100',
  'urn:be:fedict:iam:fas:Level200',
  'urn:be:fedict:iam:fas:Level300',
  'urn:be:fedict:iam:fas:Level400',
  'urn:be:fedict:iam:fas:Level450',
  'urn:be:fedict:iam:fas:Level500',
];
const LEVEL_NAMES = {
  'urn:be:fedict:iam:fas:Level400': 'Level400 (too low: shows a refusal)',
  'urn:be:fedict:iam:fas:Level450': 'Level450 (itsme / eID without PIN)',
  'urn:be:fedict:iam:fas:Level500': 'Level500 (eID card with PIN)',
};

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const accounts = new Map(config.accounts.map((account) => [account.id, account]));

function escape(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ccc;padding:.3rem .6rem;text-align:left}button{margin:.1rem}</style></head>
<body><p><strong>Development identity provider</strong> – not the federal authentication service. Any demo
identity can be chosen here.</p><h1>${escape(title)}</h1>${body}</body></html>`;
}

function identityTable(uid) {
  const rows = [...accounts.values()].map((account) => {
    const buttons = (account.levels || []).map((level) => (uid
      ? `<form method="post" action="/interaction/${escape(uid)}/login">
           <input type="hidden" name="account" value="${escape(account.id)}">
           <input type="hidden" name="acr" value="${escape(level)}">
           <button type="submit">${escape(LEVEL_NAMES[level] || level)}</button></form>`
      : `<div>${escape(LEVEL_NAMES[level] || level)}</div>`)).join('');
    return `<tr><td>${escape(account.id)}</td><td>${escape(account.label)}</td><td>${escape(account.kind)}</td>
      <td>${escape(account.claims?.egovNRN ? 'yes' : 'no')}</td><td>${buttons}</td></tr>`;
  });
  return `<table><thead><tr><th>identity</th><th>name</th><th>kind</th><th>national number</th>
    <th>level of assurance${uid ? ': log in with' : ''}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function signingKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), use: 'sig', alg: 'RS256' };
}

// The demo always shows the identity chooser, even when the provider still has a session.
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check(
  'demo_choose_identity',
  'the development provider always asks which demo identity to use',
  (ctx) => (ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT),
));

const server = http.createServer();
server.listen(config.port ?? 0, config.host || '127.0.0.1', () => {
  const { address, port } = server.address();
  const issuer = `http://${address}:${port}`;
  const provider = new Provider(issuer, {
    clients: config.clients,
    jwks: { keys: config.signing_keys || [signingKey()] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    acrValues: LEVELS,
    claims: {
      openid: ['sub'],
      profile: ['givenName', 'surname', 'mail', 'prefLanguage'],
      egovnrn: ['egovNRN'],
    },
    scopes: ['openid', 'profile', 'egovnrn'],
    features: {
      devInteractions: { enabled: false },
      requestObjects: { enabled: true },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Log out', `${form}<p>Log out of the development identity provider too?</p>
            <button form="op.logoutForm" type="submit" name="logout" value="yes">Yes, log out</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Logged out', '<p>You are logged out.</p>');
        },
      },
    },
    pkce: { required: () => true },
    interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
    },
  });
  provider.on('server_error', (ctx, error) => console.error('devidp server_error', error));
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const url = new URL(req.url, issuer);
    const match = url.pathname.match(/^\/interaction\/([\w-]+)(\/login|\/abort)?$/);
    try {
      if (url.pathname === '/' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page('Demo identities', `<p>Issuer: ${escape(issuer)}</p>${identityTable(null)}`));
        return;
      }
      if (match && !match[2] && req.method === 'GET') {
        const details = await provider.interactionDetails(req, res);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(page('Choose a demo identity', `<p>Requested level: ${escape(details.params.acr_values || '-')}</p>
          ${identityTable(details.uid)}
          <form method="post" action="/interaction/${escape(details.uid)}/abort"><button>Cancel</button></form>`));
        return;
      }
      if (match && match[2] === '/login' && req.method === 'POST') {
        const details = await provider.interactionDetails(req, res);
        const form = await readForm(req);
        const account = accounts.get(form.get('account'));
        const acr = form.get('acr');
        if (!account || !(account.levels || []).includes(acr)) {
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end('unknown identity or level');
          return;
        }
        const grant = new provider.Grant({ accountId: account.id, clientId: details.params.client_id });
        grant.addOIDCScope(details.params.scope);
        const grantId = await grant.save();
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account.id, acr, amr: ['hwk'] }, consent: { grantId } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      if (match && match[2] === '/abort' && req.method === 'POST') {
        await provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'The person cancelled the login.' },
          { mergeWithLastSubmission: false },
        );
        return;
      }
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`interaction error: ${error.message}`);
      return;
    }
    callback(req, res);
  });
  console.log(`devidp listening on ${issuer}`);
});
