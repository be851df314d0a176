/** The program's version; a test keeps it equal to package.json's. */
export const VERSION = '0.1.0';

/** Where people can read what this program is and how to reach its authors. */
export const PROJECT_URL = 'https://github.com/comics-cli/comics';

/**
 * The User-Agent every request carries, naming the tool and where to learn about it,
 * as polite crawlers do.
 */
export const USER_AGENT = `comics/${VERSION} (+${PROJECT_URL})`;

/** The product token robots.txt groups are matched against. */
export const ROBOTS_AGENT = 'comics';
