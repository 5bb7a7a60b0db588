/** Types of caches.js (plain JavaScript: jest's runtime and environment require it untransformed). */
export declare const CACHE: string;
export declare function boundCache(dir: string, maxEntries: number): void;
