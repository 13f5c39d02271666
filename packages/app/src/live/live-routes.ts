import { readFileSync } from 'node:fs';
import { Router } from 'express';
import type { LiveFeed } from './live-feed.js';

/**
 * The page may load its own script and style and fetch from this server,
 * and nothing else: no CDN, no inline script. The icon is an empty data URL,
 * so the browser does not ask for a /favicon.ico that would be a 404.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src data:; style-src 'self'; script-src 'self'; connect-src 'self'";

/** The live view: the page, its script and style, and the event stream they draw. */
export function liveRoutes(feed: LiveFeed): Router {
  // Read once, when the app is built with the live view on: static files
  // beside this one, so the page is plain HTML, JavaScript and CSS.
  const page = readFileSync(new URL('./live-page.html', import.meta.url), 'utf8');
  const script = readFileSync(new URL('./live-page.js', import.meta.url), 'utf8');
  const style = readFileSync(new URL('./live-page.css', import.meta.url), 'utf8');
  const router = Router();

  router.get('/live', (_req, res) => {
    res.set('content-security-policy', CONTENT_SECURITY_POLICY);
    res.type('html').send(page);
  });
  router.get('/live/page.js', (_req, res) => {
    res.type('js').send(script);
  });
  router.get('/live/page.css', (_req, res) => {
    res.type('css').send(style);
  });
  router.get('/live/events', feed.stream());

  return router;
}
