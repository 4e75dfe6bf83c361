/** The error bodies the live site's layers print: Drupal, Apache and the nginx front. */
import { escapeHtml, pageShell } from "./html.js";

/** Drupal's own 404 for an unknown `/content/…` or `/node/…` path. */
export function drupalNotFound(path: string): string {
  return pageShell({
    title: "Page not found",
    bodyClass: "page-content",
    content: `<h1 class="title" id="page-title">Page not found</h1><p>The requested page "${escapeHtml(path)}" could not be found.</p>`,
  });
}

/** Apache's 404 for a missing static file. */
export function apacheNotFound(path: string): string {
  return `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL ${escapeHtml(path)} was not found on this server.</p>
</body></html>
`;
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  410: "Gone",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
  504: "Gateway Time-out",
};

/** nginx's stock error page, what the front answers when Drupal or Apache behind it fails. */
export function nginxError(status: number): string {
  const line = `${status} ${REASONS[status] ?? "Error"}`;
  return `<html>\r\n<head><title>${line}</title></head>\r\n<body>\r\n<center><h1>${line}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/**
 * Drupal's maintenance / error page served with status 200: what a download can get instead of
 * the file when the site is in trouble, and why a client must check what it received.
 */
export function drupalErrorWith200(): string {
  return pageShell({
    title: "Site under maintenance",
    bodyClass: "maintenance-page",
    content: `<h1 class="title" id="page-title">Site under maintenance</h1><p>The website encountered an unexpected error. Please try again later.</p>`,
  });
}
