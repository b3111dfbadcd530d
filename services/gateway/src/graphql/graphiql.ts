import { createHash } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { CSRF_HEADER } from '../protection/browser';

/**
 * GraphiQL from the installed @graphql-yoga/render-graphiql (the same version as graphql-yoga): its scripts,
 * styles and editor workers are inlined in the page, so it loads nothing from a CDN and works offline. The page is
 * served with a Content-Security-Policy that allows exactly its own inline script (by hash), its workers (blob:)
 * and calls back to this origin; nothing else may load or run.
 */
export interface GraphiQLPage {
  html: string;
  contentSecurityPolicy: string;
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const inlineScripts = (html: string): string[] =>
  [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]);

export const graphiqlPage = (options: GraphiQLOptions = {}): GraphiQLPage => {
  // GraphiQL runs subscriptions over SSE as GET requests, which the gateway's CSRF prevention refuses without
  // CSRF_HEADER; the page is same-origin script, which is what the header vouches for.
  const html = renderGraphiQL({
    title: 'Sitter GraphiQL',
    ...options,
    additionalHeaders: { [CSRF_HEADER]: 'graphiql', ...options.additionalHeaders },
  });
  const scripts = inlineScripts(html).map(sha256).join(' ');
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${scripts}`,
    // The editor (Monaco) adds style elements and attributes as it runs, so styles cannot be pinned by hash.
    "style-src 'self' 'unsafe-inline'",
    'worker-src blob:',
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
};

/**
 * yoga's renderGraphiQL option plus a plugin that puts the page's policy on the HTML response. The page (about
 * 9 MB) is built on the first visit and kept: yoga passes the same options on every visit (they come from the
 * gateway's configuration, not the request).
 */
export const servedGraphiQL = (): { renderGraphiQL: (options: GraphiQLOptions) => string; plugin: Plugin } => {
  let page: GraphiQLPage | undefined;
  return {
    renderGraphiQL: (options) => {
      page ??= graphiqlPage(options);
      return page.html;
    },
    plugin: {
      onResponse({ response }) {
        if (page && response.headers.get('content-type')?.startsWith('text/html')) {
          response.headers.set('content-security-policy', page.contentSecurityPolicy);
        }
      },
    },
  };
};
