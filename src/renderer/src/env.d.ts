/** Vite bundles plain CSS imported for its side effects. */
declare module '*.css';
